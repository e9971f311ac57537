// A share link or .vmscope file in, summary and packed model out. Runs inside the parse worker (so
// a hostile link never holds up the page), or on the main thread when no worker can be started.

import { buildModel, packModel, summarize } from '../../lib/index.ts';
import { decodeShare, decodeShareFile } from '../../lib/share/codec.ts';
import type { LinkResult } from './protocol.ts';

/** Decode a link's text, or a .vmscope file's bytes. Throws an Error saying what is wrong. */
export async function openShared(from: { text: string } | { bytes: Uint8Array }): Promise<{ result: LinkResult; transfer: ArrayBuffer[] }> {
  const t0 = performance.now();
  const decoded = 'text' in from ? await decodeShare(from.text) : await decodeShareFile(from.bytes);
  const model = buildModel(decoded.snapshot);
  if (model.snapshot.count === 0) throw new Error('This share link holds no areas.');
  const summary = summarize(model);
  const { packed, transfer } = packModel(model);
  return { result: { summary, view: decoded.view, addressesHidden: decoded.addressesHidden, ms: performance.now() - t0, packed }, transfer };
}
