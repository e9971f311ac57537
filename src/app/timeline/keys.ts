// The keys the timeline answers to (bound by the store, src/app/state/timeline.ts), as the strip's
// buttons name them in their titles.

export const KEY_OF = {
  first: 'Home',
  prev: ',',
  next: '.',
  last: 'End',
  play: 'space',
} as const;
