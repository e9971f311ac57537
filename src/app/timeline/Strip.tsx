// The timeline strip above the map: bytes over time (stacked by kind, caller, module or node, or
// the area count), VmallocUsed and the largest free hole as lines, a time axis, and a cursor at the
// moment on screen. Click a moment to show it; drag across moments to compare the two ends.
//
// The canvas holds the data and is redrawn only when the figures, the mode or the size change; the
// axes, the cursor, the range and the hover line are SVG over it.

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, PointerEvent, RefObject } from 'react';
import { formatBytes, formatCount } from '../../lib/index.ts';
import type { Scheme } from '../base/colours.ts';
import { drawStrip } from './draw.ts';
import { buildFigure, nearestMoment, STRIP_MODE_LABEL, STRIP_MODE_TITLE, STRIP_MODE_UNIT, STRIP_MODES } from './figure.ts';
import type { Figure, StripMode } from './figure.ts';
import { KEY_OF } from './keys.ts';
import type { TimelineActions, TimelineView } from './source.ts';
import { axisNote, liveText, momentName, tooltipLines } from './text.ts';
import type { MomentNote } from './text.ts';

/** Height of the plot with its time axis, CSS px. */
export const STRIP_HEIGHT_CSS_PX = 104;
/** A press that moves less than this is a click, not a drag. */
const DRAG_CSS_PX = 4;

const darkQuery = () => (typeof window !== 'undefined' ? window.matchMedia?.('(prefers-color-scheme: dark)') : undefined);

function useScheme(): Scheme {
  const [dark, setDark] = useState(() => darkQuery()?.matches ?? false);
  useEffect(() => {
    const query = darkQuery();
    if (!query) return;
    const on = () => setDark(query.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, []);
  return dark ? 'dark' : 'light';
}

/** Width of an element in CSS px, followed as it resizes. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[entries.length - 1].contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function swatchStyle(sw: { light: string; dark: string }): CSSProperties {
  return { '--sw-light': sw.light, '--sw-dark': sw.dark } as CSSProperties;
}

const bytesTick = (v: number) => (v === 0 ? '0' : formatBytes(v));

/** The buttons' glyphs as paths in a 12×12 box (fonts lack the media symbols). */
const ICON = {
  first: 'M2 2h1.6v8H2zM10 2v8L4.4 6z',
  prev: 'M9 2v8L3 6z',
  play: 'M3 1.5v9L10.5 6z',
  pause: 'M2.5 2h2.6v8H2.5zM6.9 2h2.6v8H6.9z',
  next: 'M3 2v8l6-4z',
  last: 'M8.4 2H10v8H8.4zM2 2v8l5.6-4z',
} as const;

function Icon({ d }: { d: string }) {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d={d} fill="currentColor" />
    </svg>
  );
}

interface Drag {
  fromCss: number;
  toCss: number;
  moved: boolean;
  pointer: number;
}

export interface StripViewProps {
  view: TimelineView;
  actions: TimelineActions;
  /** Per moment, its stamp's zone and where its time came from (for the axis note). */
  notes: readonly MomentNote[];
}

/** The strip itself, from props (the connected one is TimelineStrip). */
export function StripView({ view, actions, notes }: StripViewProps) {
  const { stats, index, range, playing, live } = view;
  const n = stats.times.length;
  const [mode, setMode] = useState<StripMode>('kind');
  const [hoverCss, setHoverCss] = useState<number | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const widthCss = useWidth(stage);
  const scheme = useScheme();

  const figure: Figure | null = useMemo(() => (widthCss > 0 ? buildFigure(stats, mode, widthCss, STRIP_HEIGHT_CSS_PX) : null), [stats, mode, widthCss]);

  useEffect(() => {
    if (!figure || !canvas.current) return;
    const ms = drawStrip(canvas.current, figure, window.devicePixelRatio || 1, scheme);
    canvas.current.dataset.drawMs = ms.toFixed(2);
  }, [figure, scheme]);

  const xOf = (e: PointerEvent) => e.clientX - (stage.current?.getBoundingClientRect().left ?? 0);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !figure) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const x = xOf(e);
    setDrag({ fromCss: x, toCss: x, moved: false, pointer: e.pointerId });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const x = xOf(e);
    setHoverCss(x);
    if (drag && drag.pointer === e.pointerId) setDrag({ ...drag, toCss: x, moved: drag.moved || Math.abs(x - drag.fromCss) >= DRAG_CSS_PX });
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag || drag.pointer !== e.pointerId || !figure) return;
    const x = xOf(e);
    const a = nearestMoment(figure.xs, Math.min(drag.fromCss, x));
    const b = nearestMoment(figure.xs, Math.max(drag.fromCss, x));
    setDrag(null);
    if (drag.moved && a !== b) actions.setRange(a, b);
    else actions.setMoment(nearestMoment(figure.xs, x));
  };

  const hovered = figure && hoverCss !== null && !drag?.moved ? nearestMoment(figure.xs, hoverCss) : null;
  const shownRange: readonly [number, number] | null =
    drag?.moved && figure ? [nearestMoment(figure.xs, Math.min(drag.fromCss, drag.toCss)), nearestMoment(figure.xs, Math.max(drag.fromCss, drag.toCss))] : range;

  const plot = figure?.plot;
  const x = (i: number) => figure?.xs[i] ?? 0;
  const holeLine = figure?.lines.find((l) => l.right);

  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <div className="timeline-head">
        <h2>Over time</h2>
        <span className="timeline-now" data-testid="timeline-now">
          <strong>{momentName(stats.times, index)}</strong> · moment {formatCount(index + 1)} of {formatCount(n)} · {formatCount(stats.count[index])} areas, {formatBytes(stats.bytes[index])}
        </span>
        {live && (
          <span
            className={live.state === 'live' ? 'timeline-live is-live' : 'timeline-live'}
            data-testid="timeline-live"
            data-state={live.state}
            data-append-ms={live.appendMs}
            data-thread-ms={live.threadMs}
            title={live.state === 'live' ? 'vmscope open --live is recording: each new moment is added as it is taken' : (live.why ?? 'The recording has stopped; the file vmscope open --live wrote holds every moment')}
          >
            {liveText(live, n)}
          </span>
        )}
        {range && (
          <span className="timeline-range-chip" data-testid="timeline-range-chip">
            A {momentName(stats.times, range[0])} → B {momentName(stats.times, range[1])}
            <button type="button" className="chip-clear" onClick={actions.clearRange} aria-label="Clear the range" title="Clear the range (What grew goes back to the whole series)" data-testid="timeline-range-clear">
              ×
            </button>
          </span>
        )}
        <div className="timeline-modes" role="radiogroup" aria-label="Stack the bytes by">
          {STRIP_MODES.filter((m) => m === 'kind' || m === 'count' || stats.groups[m].length > 0).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={m === mode} className={m === mode ? 'seg is-on' : 'seg'} title={STRIP_MODE_TITLE[m]} data-testid={`timeline-mode-${m}`} onClick={() => setMode(m)}>
              {STRIP_MODE_LABEL[m]}
            </button>
          ))}
        </div>
        <div className="timeline-buttons" role="group" aria-label="Moments">
          <button type="button" title={`First moment (${KEY_OF.first})`} aria-label="First moment" disabled={index === 0} onClick={() => actions.setMoment(0)} data-testid="timeline-first">
            <Icon d={ICON.first} />
          </button>
          <button type="button" title={`Previous moment (${KEY_OF.prev})`} aria-label="Previous moment" disabled={index === 0} onClick={() => actions.stepMoment(-1)} data-testid="timeline-prev">
            <Icon d={ICON.prev} />
          </button>
          <button type="button" title={`${playing ? 'Pause' : 'Play the moments in turn'} (${KEY_OF.play})`} aria-label={playing ? 'Pause' : 'Play'} aria-pressed={playing} onClick={actions.togglePlay} data-testid="timeline-play">
            <Icon d={playing ? ICON.pause : ICON.play} />
          </button>
          <button type="button" title={`Next moment (${KEY_OF.next})`} aria-label="Next moment" disabled={index === n - 1} onClick={() => actions.stepMoment(1)} data-testid="timeline-next">
            <Icon d={ICON.next} />
          </button>
          <button type="button" title={`Last moment (${KEY_OF.last})`} aria-label="Last moment" disabled={index === n - 1} onClick={() => actions.setMoment(n - 1)} data-testid="timeline-last">
            <Icon d={ICON.last} />
          </button>
        </div>
      </div>
      <div
        ref={stage}
        className="timeline-stage"
        style={{ height: STRIP_HEIGHT_CSS_PX }}
        data-testid="timeline-strip"
        data-plot-left={plot?.left}
        data-plot-right={plot?.right}
        data-timed={figure?.timed}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
        onPointerLeave={() => setHoverCss(null)}
      >
        <canvas ref={canvas} className="timeline-canvas" style={{ width: widthCss, height: STRIP_HEIGHT_CSS_PX }} data-testid="timeline-canvas" aria-hidden="true" />
        {figure && plot && (
          <svg className="timeline-overlay" width={widthCss} height={STRIP_HEIGHT_CSS_PX} aria-hidden="true">
            {figure.leftTicks.map((v) => (
              <text key={`l${v}`} className="tl-tick" x={plot.left - 6} y={figure.yLeft(v)} textAnchor="end" dominantBaseline="middle">
                {figure.leftUnit === 'bytes' ? bytesTick(v) : formatCount(v)}
              </text>
            ))}
            {figure.yRight &&
              holeLine &&
              figure.rightTicks.map((v) => (
                <text key={`r${v}`} className="tl-tick tl-hole" x={plot.right + 6} y={figure.yRight!(v)} dominantBaseline="middle" style={swatchStyle(holeLine.swatch)}>
                  {bytesTick(v)}
                </text>
              ))}
            <line className="tl-axis" x1={plot.left} x2={plot.right} y1={plot.bottom + 0.5} y2={plot.bottom + 0.5} />
            {figure.xTicks.map((t) => (
              <g key={`${t.xCss}`} transform={`translate(${t.xCss},${plot.bottom})`}>
                <line className="tl-axis" y1={0} y2={4} />
                <text className="tl-tick" y={15} textAnchor="middle">
                  {t.label}
                </text>
              </g>
            ))}
            {shownRange && (
              <g data-testid="timeline-range">
                <rect className="tl-range" x={x(shownRange[0])} width={Math.max(1, x(shownRange[1]) - x(shownRange[0]))} y={plot.top} height={plot.bottom - plot.top} />
                <text className="tl-range-label" x={x(shownRange[0]) + 3} y={plot.top + 10}>
                  A
                </text>
                <text className="tl-range-label" x={x(shownRange[1]) - 3} y={plot.top + 10} textAnchor="end">
                  B
                </text>
              </g>
            )}
            {hovered !== null && hovered !== index && <line className="tl-hover" x1={x(hovered)} x2={x(hovered)} y1={plot.top} y2={plot.bottom} />}
            <line className="tl-cursor" x1={x(index)} x2={x(index)} y1={plot.top - 4} y2={plot.bottom} data-testid="timeline-cursor" data-index={index} />
            <path className="tl-cursor-head" d={`M${x(index) - 5},${plot.top - 8}h10l-5,6z`} />
          </svg>
        )}
        {figure && hovered !== null && hoverCss !== null && (
          <div className="hover-tip timeline-tooltip" role="tooltip" data-testid="timeline-tooltip" style={hoverCss > widthCss - 260 ? { right: widthCss - hoverCss + 12 } : { left: hoverCss + 12 }}>
            {tooltipLines(stats, hovered).map((line, k) => (
              <div key={k} className={k === 0 ? 'tl-tip-title' : undefined}>
                {line}
              </div>
            ))}
          </div>
        )}
      </div>
      <div className="timeline-foot">
        <ul className="timeline-legend" aria-label="Legend">
          {mode !== 'count' && <li className="tl-legend-head">{STRIP_MODE_UNIT[mode]}:</li>}
          {figure?.layers
            .slice()
            .reverse()
            .map((l) => (
              <li key={l.key} title={l.label}>
                <span className="tl-swatch" style={swatchStyle(l.swatch)} />
                {mode === 'caller' && !l.other ? <code>{l.label}</code> : l.label}
              </li>
            ))}
          {figure?.lines.map((l) => (
            <li key={l.key} className="is-line">
              <span className={l.dashed ? 'tl-swatch tl-line is-dashed' : 'tl-swatch tl-line'} style={swatchStyle(l.swatch)} />
              {l.label}
              {l.right ? ' (right scale)' : ''}
            </li>
          ))}
        </ul>
        <span className="timeline-note" data-testid="timeline-note">
          {axisNote(stats.times, notes, figure?.timed ?? false)} · click a moment to show it, drag to compare two
        </span>
      </div>
    </section>
  );
}
