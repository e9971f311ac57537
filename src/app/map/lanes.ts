// The map canvas is one picture in horizontal lanes, top to bottom. Positions in CSS pixels.

export interface Lane {
  y: number;
  h: number;
}

/**
 * A caption (what the overview and the view show); the overview of the whole track with the
 * viewport; region bands; the areas; search marks; caller labels in two rows; the address axis.
 */
export const LANES = {
  caption: { y: 0, h: 14 },
  overview: { y: 16, h: 16 },
  bands: { y: 40, h: 18 },
  map: { y: 60, h: 90 },
  marks: { y: 151, h: 7 },
  labels: { y: 159, h: 29 },
  axis: { y: 190, h: 30 },
} as const satisfies Record<string, Lane>;

export const MAP_HEIGHT_CSS_PX = 220;

export type LaneName = keyof typeof LANES;

/** Which lane a CSS pixel y falls in, for pointer handling: the overview, or the map (everything else). */
export function laneAt(yCssPx: number): 'overview' | 'map' {
  return yCssPx < LANES.bands.y - 3 ? 'overview' : 'map';
}
