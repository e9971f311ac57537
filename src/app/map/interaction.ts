// Pointer, wheel and keyboard on the map canvas, turned into map actions. Zoom is computed about
// the cursor in display units (lib/view/view.ts); no d3 zoom transform holds the view.

import { boundsOf, displayAtCss, hitTest, panBy as panView, positionOf, wheelFactor } from '../../lib/index.ts';
import type { Hit, View } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import {
  currentView,
  panBy,
  panByFraction,
  resetView,
  searchStep,
  select,
  setHover,
  setView,
  stepSelection,
  toggleCollapse,
  zoomAt,
  zoomCentre,
  zoomToPosition,
  zoomToRange,
} from '../state/view.ts';
import { LANES, laneAt } from './lanes.ts';
import { measureInput } from './renderer.ts';
import type { Hover } from '../state/mapSlice.ts';

/** Pointer travel (CSS px) under which a press and release is a click, not a drag. */
const CLICK_SLOP_CSS_PX = 3;
/** Keyboard zoom step and pan step (fraction of the view). */
const KEY_ZOOM = 0.5;
const KEY_PAN = 0.1;

type Drag = { kind: 'pan'; pointerId: number; xCssPx: number; view: View; moved: boolean } | { kind: 'overview'; pointerId: number };

function local(canvas: HTMLCanvasElement, e: MouseEvent): { xCssPx: number; yCssPx: number; widthCssPx: number } {
  const rect = canvas.getBoundingClientRect();
  return { xCssPx: e.clientX - rect.left, yCssPx: e.clientY - rect.top, widthCssPx: rect.width };
}

function hitAt(xCssPx: number, widthCssPx: number): Hit {
  const track = useStore.getState().track;
  if (!track) return null;
  return hitTest(track, displayAtCss(currentView(), xCssPx, widthCssPx));
}

/** What the pointer is over: a region band in the band lane, else whatever lies under x. */
function hoverAt(xCssPx: number, yCssPx: number, widthCssPx: number): Hover['target'] | null {
  if (!overAreas(yCssPx)) return null;
  const track = useStore.getState().track;
  if (track && yCssPx < LANES.bands.y + LANES.bands.h) {
    const d = displayAtCss(currentView(), xCssPx, widthCssPx);
    // Later regions are drawn on top (modules inside arm64's vmalloc range), so look from the end.
    const r = [...track.regions].reverse().find((region) => d >= region.from && d < region.to);
    return r ? { type: 'region', region: r } : null;
  }
  return hitAt(xCssPx, widthCssPx);
}

/** Whether a y position is over the areas (bands, map, marks and labels), where hovering means something. */
function overAreas(yCssPx: number): boolean {
  return yCssPx >= LANES.bands.y && yCssPx < LANES.labels.y + LANES.labels.h;
}

/** Centre the view on the overview's position under x, keeping its width. */
function moveToOverview(xCssPx: number, widthCssPx: number): void {
  const track = useStore.getState().track;
  if (!track) return;
  const v = currentView();
  const centre = (Math.min(Math.max(xCssPx, 0), widthCssPx) / widthCssPx) * track.total;
  setView(panView(v, centre - (v.start + v.end) / 2, boundsOf(track.total)));
}

export function attachInteraction(canvas: HTMLCanvasElement): () => void {
  let drag: Drag | null = null;

  /** What lies under the pointer changes when the view moves beneath it. */
  const rehover = (xCssPx: number, yCssPx: number, widthCssPx: number) => {
    const target = hoverAt(xCssPx, yCssPx, widthCssPx);
    setHover(target ? { target, xCssPx, yCssPx, widthCssPx } : null);
  };

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const { xCssPx, yCssPx, widthCssPx } = local(canvas, e);
    const v = currentView();
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY) && !e.ctrlKey) panBy((e.deltaX / widthCssPx) * (v.end - v.start));
    else zoomAt(displayAtCss(v, xCssPx, widthCssPx), wheelFactor(e.deltaY, e.deltaMode));
    if (useStore.getState().hover) rehover(xCssPx, yCssPx, widthCssPx);
  };

  const onPointerDown = (e: PointerEvent) => {
    // The canvas is focusable (tabIndex 0), so the press itself focuses it for the keys.
    if (e.button !== 0) return;
    const { xCssPx, yCssPx, widthCssPx } = local(canvas, e);
    canvas.setPointerCapture(e.pointerId);
    if (laneAt(yCssPx) === 'overview') {
      drag = { kind: 'overview', pointerId: e.pointerId };
      moveToOverview(xCssPx, widthCssPx);
    } else drag = { kind: 'pan', pointerId: e.pointerId, xCssPx, view: currentView(), moved: false };
  };

  const onPointerMove = (e: PointerEvent) => {
    const { xCssPx, yCssPx, widthCssPx } = local(canvas, e);
    if (drag?.kind === 'overview') {
      moveToOverview(xCssPx, widthCssPx);
      return;
    }
    if (drag?.kind === 'pan') {
      const dx = xCssPx - drag.xCssPx;
      if (!drag.moved && Math.abs(dx) < CLICK_SLOP_CSS_PX) return;
      drag.moved = true;
      const span = drag.view.end - drag.view.start;
      setHover(null);
      setView({ start: drag.view.start - (dx / widthCssPx) * span, end: drag.view.end - (dx / widthCssPx) * span });
      return;
    }
    rehover(xCssPx, yCssPx, widthCssPx);
  };

  const onPointerUp = (e: PointerEvent) => {
    if (!drag || drag.pointerId !== e.pointerId) return;
    const ended = drag;
    drag = null;
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    if (ended.kind !== 'pan' || ended.moved) return;
    const { xCssPx, yCssPx, widthCssPx } = local(canvas, e);
    const hit = overAreas(yCssPx) ? hitAt(xCssPx, widthCssPx) : null;
    select(hit?.type === 'area' ? hit.index : null);
  };

  const onDoubleClick = (e: MouseEvent) => {
    const { xCssPx, yCssPx, widthCssPx } = local(canvas, e);
    if (!overAreas(yCssPx)) return;
    const hit = hitAt(xCssPx, widthCssPx);
    if (hit?.type === 'area') zoomToPosition(hit.k);
    else if (hit?.type === 'break') zoomToRange(hit.break.at, hit.break.at + hit.break.width, 1);
    else if (hit?.type === 'hole') zoomToRange(hit.from, hit.to, 0.25);
  };

  const onPointerLeave = () => {
    if (!drag) setHover(null);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const handled = key(e.key, e.shiftKey);
    if (!handled) return;
    e.preventDefault();
    // The view moved under a pointer that did not: its tooltip would describe something else.
    setHover(null);
  };

  // Every handler's time counts towards the frame it causes (renderer.ts keeps the log).
  const listeners: Array<[string, (e: never) => void, AddEventListenerOptions?]> = [
    ['wheel', onWheel, { passive: false }],
    ['pointerdown', onPointerDown],
    ['pointermove', onPointerMove],
    ['pointerup', onPointerUp],
    ['pointercancel', onPointerUp],
    ['pointerleave', onPointerLeave],
    ['dblclick', onDoubleClick],
    ['keydown', onKeyDown],
  ];
  const measured = listeners.map(([type, handle, options]) => {
    const listener = (e: Event) => measureInput(() => handle(e as never));
    canvas.addEventListener(type, listener, options);
    return [type, listener] as const;
  });
  return () => {
    for (const [type, listener] of measured) canvas.removeEventListener(type, listener);
  };
}

/** The map's keyboard shortcuts (listed in the help line under the map). Returns whether the key was used. */
export function key(name: string, shift: boolean): boolean {
  const { selected, track } = useStore.getState();
  switch (name) {
    case '+':
    case '=':
      zoomCentre(KEY_ZOOM);
      return true;
    case '-':
    case '_':
      zoomCentre(1 / KEY_ZOOM);
      return true;
    case 'ArrowLeft':
      panByFraction(-(shift ? 5 : 1) * KEY_PAN);
      return true;
    case 'ArrowRight':
      panByFraction((shift ? 5 : 1) * KEY_PAN);
      return true;
    case '0':
      resetView();
      return true;
    case 'c':
    case 'C':
      toggleCollapse();
      return true;
    case ']':
      stepSelection(1);
      return true;
    case '[':
      stepSelection(-1);
      return true;
    case 'n':
      searchStep(1);
      return true;
    case 'N':
      searchStep(-1);
      return true;
    case 'Enter':
      if (selected === null || !track) return false;
      zoomToPosition(positionOf(track, selected), 0.25);
      return true;
    case 'Escape':
      select(null);
      setHover(null);
      return true;
    default:
      return false;
  }
}
