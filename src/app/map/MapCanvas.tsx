import { useEffect, useRef } from 'react';
import { attachInteraction } from './interaction.ts';
import { MAP_HEIGHT_CSS_PX } from './lanes.ts';
import { attachCanvas, resizeCanvas } from './renderer.ts';

/**
 * The map's canvas. The component owns only the element, its size and the wiring: drawing runs in
 * renderer.ts off the store, input in interaction.ts, so React does not render per frame.
 */
export function MapCanvas({ label, describedBy }: { label: string; describedBy: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const detachCanvas = attachCanvas(canvas);
    const detachInput = attachInteraction(canvas);
    const observer = new ResizeObserver((entries) => resizeCanvas(entries[entries.length - 1].contentRect.width));
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      detachInput();
      detachCanvas();
    };
  }, []);
  return (
    <canvas
      ref={ref}
      className="map-canvas"
      style={{ height: MAP_HEIGHT_CSS_PX }}
      data-testid="map-canvas"
      tabIndex={0}
      aria-label={label}
      aria-describedby={describedBy}
    />
  );
}
