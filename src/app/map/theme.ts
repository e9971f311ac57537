// The canvas's own colours per colour scheme (the page's are CSS variables in styles.css; these
// match them). Area colours come from colours.ts.

import type { Scheme } from '../base/colours.ts';

export interface MapTheme {
  scheme: Scheme;
  /** The page behind the map: breaks are cut out in it. */
  background: string;
  /** The map lane where nothing is allocated: free holes. */
  free: string;
  text: string;
  muted: string;
  faint: string;
  grid: string;
  /** Selected area outline, current search match. */
  accent: string;
  /** Search matches and the hole an address search found. */
  match: string;
  /** The text drawn over an area. */
  onArea: string;
  /** Region bands by region id, and their text. */
  bands: Record<string, string>;
  bandText: string;
  /** Guard pages: a shade over the area's colour, crossed by stripes. */
  guard: string;
  guardStripe: string;
}

export const MAP_THEMES: Record<Scheme, MapTheme> = {
  light: {
    scheme: 'light',
    background: '#ffffff',
    free: '#eef0f3',
    text: '#1c1e21',
    muted: '#5d636b',
    faint: '#9aa0a7',
    grid: '#dfe2e6',
    accent: '#1c1e21',
    match: '#d6204a',
    onArea: '#ffffff',
    bands: { vmalloc: '#dce7f7', modules: '#efdff5', packed: '#fbeed5' },
    bandText: '#2b3440',
    guard: 'rgba(0, 0, 0, 0.5)',
    guardStripe: 'rgba(255, 255, 255, 0.75)',
  },
  dark: {
    scheme: 'dark',
    background: '#1b1d21',
    free: '#25282d',
    text: '#e4e6e9',
    muted: '#a0a6ae',
    faint: '#6b7179',
    grid: '#2e3238',
    accent: '#ffffff',
    match: '#ff6b8a',
    onArea: '#101114',
    bands: { vmalloc: '#22314a', modules: '#3a2946', packed: '#3a2c14' },
    bandText: '#d8dce2',
    guard: 'rgba(0, 0, 0, 0.55)',
    guardStripe: 'rgba(255, 255, 255, 0.45)',
  },
};
