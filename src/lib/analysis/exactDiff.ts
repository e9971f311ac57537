// `vmscope diff --json` with exact integers. Every byte count of a diff is a sum of sizes, each
// below 2^53 (the parser refuses larger), and no partial sum exceeds the two dumps' totals
// together: when those stay below 2^53 (every real pair of dumps) the Numbers are exact already.
// Past that (hostile input) the headline figures are summed again as BigInt from the area lists.

import type { Model } from '../model/model.ts';
import { diffJson } from './diff.ts';
import type { SnapshotDiff } from './diff.ts';

/** diffJson(d), with added, removed, resized and netBytes exact even past 2^53. */
export function diffForJson(d: SnapshotDiff, a: Model, b: Model): Record<string, unknown> {
  const out = diffJson(d);
  if (a.totals.all.bytes + b.totals.all.bytes <= Number.MAX_SAFE_INTEGER) return out;
  const sizeA = a.snapshot.columns.size;
  const sizeB = b.snapshot.columns.size;
  let added = 0n;
  let removed = 0n;
  let resized = 0n;
  for (const i of d.addedB) added += BigInt(sizeB[i]);
  for (const i of d.removedA) removed += BigInt(sizeA[i]);
  for (let k = 0; k < d.resizedA.length; k++) resized += BigInt(sizeB[d.resizedB[k]]) - BigInt(sizeA[d.resizedA[k]]);
  return {
    ...out,
    added: { count: d.added.count, bytes: added },
    removed: { count: d.removed.count, bytes: removed },
    resized: { count: d.resized.count, bytesDelta: resized },
    netBytes: added - removed + resized,
  };
}
