// Reading version 3, the first version that landed on main (docs/share-format.md, "Version 3"). It
// is never written any more, and must keep opening: src/lib/share/v3-links.json holds links made by
// its encoder, and codec.test.ts opens them. Its payload differs from version 4's in three codes:
//   base        zigzag(base >> 12) from 0, where version 4 names a reference and codes the rest
//   kind        kind | flagBits << 3 itself, BIT_MASKED set exactly in masked mode, where version
//               4 indexes KIND_TABLE and flips BIT_MASKED in masked mode
//   pages       zigzag(pages − predicted), where version 4 has 0 = as predicted, 1 = none
// and its body has no check after it and no packed form (body.ts reads a body without a matching
// check as version 3).

import { BIT_MASKED } from '../../parse/snapshot.ts';
import { broken } from '../bits.ts';
import type { Dialect } from '../format.ts';

export const V3: Dialect = {
  baseHigh: (r) => r.zigzagBig('the base address') << 12n,
  kind(r, masked) {
    const kf = r.uint('a kind', (1 << 13) - 1);
    if (masked !== (((kf >> 3) & BIT_MASKED) !== 0)) throw broken('an area is masked in the wrong mode');
    return kf;
  },
  pages: (r, predicted) => predicted + r.zigzag('a page count'),
};
