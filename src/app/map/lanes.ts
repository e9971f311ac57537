// The map canvas is one picture in horizontal lanes, top to bottom. Positions in CSS pixels.

export interface Lane {
  y: number;
  h: number;
}

/**
 * The overview of the whole track with the viewport; region bands; the areas; search marks;
 * caller labels in two rows; the address axis. (The caption saying what the overview and the view
 * show is HTML above the canvas, MapCaption.tsx, so it can wrap on a narrow window.)
 */
export const LANES = {
  overview: { y: 2, h: 16 }, // 2 px above for the viewport's outline
  bands: { y: 26, h: 18 },
  map: { y: 46, h: 90 },
  marks: { y: 137, h: 7 },
  labels: { y: 145, h: 29 },
  axis: { y: 176, h: 30 },
} as const satisfies Record<string, Lane>;

export const MAP_HEIGHT_CSS_PX = 206;

export type LaneName = keyof typeof LANES;

/** Which lane a CSS pixel y falls in, for pointer handling: the overview, or the map (everything else). */
export function laneAt(yCssPx: number): 'overview' | 'map' {
  return yCssPx < LANES.bands.y - 3 ? 'overview' : 'map';
}
