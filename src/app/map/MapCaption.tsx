import { useEffect, useRef } from 'react';
import { attachCaption } from './renderer.ts';

/**
 * Above the canvas: what the whole track is (left) and which stretch the map shows (right). HTML,
 * so the two wrap onto two lines in a narrow window instead of printing over each other; the render
 * loop writes the words each frame (captionText in src/lib/view/caption.ts), so React does not render per frame.
 */
export function MapCaption() {
  const whole = useRef<HTMLSpanElement>(null);
  const below = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!whole.current || !below.current) return;
    return attachCaption(whole.current, below.current);
  }, []);
  return (
    <div className="map-caption" data-testid="map-caption">
      <span ref={whole} className="map-caption-whole" data-testid="map-caption-whole" />
      <span ref={below} className="map-caption-below" data-testid="map-caption-below" />
    </div>
  );
}
