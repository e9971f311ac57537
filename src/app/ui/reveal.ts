// Bringing the map on screen: the table, the summary's bars and the analysis panel lie below it,
// so an action there that moves the map's view scrolls the map into sight when it is off screen.

/** Scroll the map into view when it is entirely off screen, so a change of its view is seen. */
export function revealMap(): void {
  if (typeof document === 'undefined') return;
  const map = document.querySelector('[data-testid="map"]');
  if (!map) return;
  const r = map.getBoundingClientRect();
  if (r.bottom <= 0 || r.top >= window.innerHeight) map.scrollIntoView({ block: 'start', behavior: 'smooth' });
}
