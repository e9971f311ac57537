import { describe, expect, it } from 'vitest';
import { buildModel, buildTrack, labelKeys, labelRuns, parse, visibleRange } from '../../lib/index.ts';
import type { Track } from '../../lib/index.ts';
import { fixture } from '../../lib/testing/fixtures.ts';
import { colourAreas } from '../base/colours.ts';
import { drawMap } from './draw.ts';
import type { Scene } from './draw.ts';
import { LANES, MAP_HEIGHT_CSS_PX } from './lanes.ts';
import { MAP_THEMES } from './theme.ts';

/** A 2D context that records what is drawn: every call by name, and the unclipped fillRects filling the map lane's height. */
function recordingContext() {
  const calls = new Map<string, number>();
  const mapRects: Array<[number, number, number, number]> = [];
  const state: Record<string, unknown> = {};
  let clipped = false;
  const ctx = new Proxy(state, {
    get(target, name: string) {
      if (name in target) return target[name];
      if (name === 'measureText') return (t: string) => ({ width: t.length * 6 });
      return (...args: number[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        if (name === 'clip') clipped = true;
        if (name === 'restore') clipped = false;
        if (name === 'fillRect' && !clipped && args[1] === LANES.map.y && args[3] === LANES.map.h) mapRects.push([args[0], args[1], args[2], args[3]]);
      };
    },
    set(target, name: string, value) {
      target[name] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls, mapRects };
}

const model = buildModel(parse(fixture('kernels/x86_64-6.1.0-56-after-insmod-raw.vmallocinfo')));
const colouring = colourAreas(model, 'kind');

function sceneFor(track: Track, start: number, end: number, widthCssPx: number): Scene {
  const view = { start, end };
  return {
    track,
    view,
    colouring,
    labelRuns: labelRuns(track, view, widthCssPx, labelKeys(model)),
    selectedK: 3,
    hoverK: 4,
    matches: Uint32Array.of(1, 2, 3),
    matchSet: null,
    currentMatchK: 2,
    found: null,
  };
}

describe('drawing the map', () => {
  const track = buildTrack(model, { collapse: true });

  it('draws every visible area as its own rectangle when there is room', () => {
    const { ctx, mapRects } = recordingContext();
    const [start, end] = [track.pos[10], track.pos[40]];
    drawMap(ctx, sceneFor(track, start, end, 1200), { widthCssPx: 1200, heightCssPx: MAP_HEIGHT_CSS_PX, dpr: 2 }, MAP_THEMES.light);
    const [k0, k1] = visibleRange(track, start, end);
    // The free-space background, then one rectangle per area.
    expect(mapRects.length).toBe(1 + (k1 - k0));
    // Edges land on the device-pixel grid (dpr 2: multiples of half a CSS pixel).
    for (const [x] of mapRects.slice(1)) expect((x * 2) % 1).toBe(0);
  });

  it('draws per-column occupancy instead when more areas than device pixels are visible', () => {
    const { ctx, mapRects, calls } = recordingContext();
    drawMap(ctx, sceneFor(track, 0, track.total, 60), { widthCssPx: 60, heightCssPx: MAP_HEIGHT_CSS_PX, dpr: 1 }, MAP_THEMES.dark);
    expect(mapRects.length).toBe(1);
    // Columns are added as rects to one path per colour key, in the overview and the map.
    expect(calls.get('rect')).toBeGreaterThan(0);
    expect(calls.get('rect')!).toBeLessThanOrEqual(2 * 60 + 10);
  });

  it('outlines the free hole an address search found', () => {
    const { ctx, mapRects } = recordingContext();
    const scene = { ...sceneFor(track, 0, track.total, 800), found: { from: track.pos[1] + track.len[1], to: track.pos[2] } };
    const plain = recordingContext();
    drawMap(plain.ctx, sceneFor(track, 0, track.total, 800), { widthCssPx: 800, heightCssPx: MAP_HEIGHT_CSS_PX, dpr: 1 }, MAP_THEMES.light);
    drawMap(ctx, scene, { widthCssPx: 800, heightCssPx: MAP_HEIGHT_CSS_PX, dpr: 1 }, MAP_THEMES.light);
    expect(mapRects.length).toBe(plain.mapRects.length + 1);
  });

  it('draws the linear and the packed maps too, and nothing at all for an empty view', () => {
    const linear = buildTrack(model, { collapse: false });
    const packed = buildTrack(buildModel(parse(fixture('kernels/x86_64-6.1.0-56-after-insmod-hashed.vmallocinfo'))), { collapse: false });
    for (const t of [linear, packed]) {
      const { ctx, calls } = recordingContext();
      drawMap(ctx, { ...sceneFor(t, 0, t.total, 800), colouring: colourAreas(t.model, 'caller') }, { widthCssPx: 800, heightCssPx: MAP_HEIGHT_CSS_PX, dpr: 1 }, MAP_THEMES.light);
      // Band and axis texts; the caption (two more, before) is HTML above the canvas since it wraps.
      expect(calls.get('fillText')).toBeGreaterThan(1);
    }
    const { ctx, calls } = recordingContext();
    drawMap(ctx, sceneFor(track, 5, 5, 800), { widthCssPx: 800, heightCssPx: MAP_HEIGHT_CSS_PX, dpr: 1 }, MAP_THEMES.light);
    expect(calls.get('fillRect')).toBe(1);
  });
});
