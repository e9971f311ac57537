// The one binary search: every search over sorted starts (areas by address, display positions,
// breaks, search matches) is this, with a predicate saying which entries lie before the target.

/**
 * The first index j in [0, length) for which `before(j)` is false, or `length` when it never is.
 * `before` must be true on a prefix of the range and false after it (entries sorted by the key it
 * tests): "a[j] < x" gives the first entry at or above x, "a[j] <= x" the first one above x.
 */
export function lowerBound(length: number, before: (j: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
