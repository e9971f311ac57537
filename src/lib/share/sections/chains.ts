// Section 6 (docs/share-format.md), hashed mode only: which area's start hash equals this one's end
// hash. No hash value is kept; decoding makes synthetic ones, equal exactly where the originals were.

import type { AreaColumns } from '../../parse/snapshot.ts';
import type { Reader, Writer } from '../bits.ts';
import { broken } from '../bits.ts';
import type { EncodeContext } from './context.ts';

export function writeChains(w: Writer, ctx: EncodeContext): void {
  if (ctx.s.pointerMode !== 'hashed') return;
  for (let k = 0; k < ctx.n; k++) {
    const next = ctx.model.chainNext[ctx.order[k]];
    if (next < 0) w.uint(0);
    else {
      const d = ctx.positionOf[next] - k;
      w.uint((d < 0 ? -2 * d - 1 : 2 * d) + 1);
    }
  }
}

export function readChains(r: Reader, n: number, columns: AreaColumns): void {
  const hasPrev = new Uint8Array(n);
  for (let i = 0; i < n; i++) columns.startLo[i] = i + 1;
  let fresh = n + 1;
  for (let i = 0; i < n; i++) {
    const code = r.uint('an adjacency', 2 * n + 1);
    if (code === 0) {
      columns.endLo[i] = fresh++;
      continue;
    }
    const u = code - 1;
    const j = i + (u % 2 ? -(u + 1) / 2 : u / 2);
    if (j < 0 || j >= n || j === i || hasPrev[j]) throw broken('an adjacency points nowhere');
    hasPrev[j] = 1;
    columns.endLo[i] = j + 1;
  }
}
