// The payload: a whole snapshot plus the view, structure rather than text (varints, deltas and a
// string table, laid out column by column so deflate finds the repeats). Byte by byte in
// docs/share-format.md ("Payload"). Each section has its encode/decode pair in sections/; this
// file puts them in order. Version 3's differences are in legacy/v3.ts.
//
// Decoding trusts nothing: every count is checked against what is left before anything is
// allocated, every index against its table, and the payload must be used up exactly (the bounds
// are in docs/share-format.md, "Limits").

import type { Model } from '../model/model.ts';
import { Snapshot } from '../parse/snapshot.ts';
import type { AreaColumns, SnapshotFacts } from '../parse/snapshot.ts';
import { Reader, Writer } from './bits.ts';
import { MAX_PAYLOAD, tooBig } from './envelope.ts';
import { SHARE_VERSION } from './format.ts';
import type { DecodedShare, Dialect, PayloadForm, ShareOptions, ShareView } from './format.ts';
import { V3 } from './legacy/v3.ts';
import { readEnds, readSizes, readStarts, siteAlignments, writeEnds, writeSizes, writeStarts } from './sections/addresses.ts';
import { baseHighV4, readBase, writeBase } from './sections/base.ts';
import { readChains, writeChains } from './sections/chains.ts';
import { encodeContext } from './sections/context.ts';
import { readHeader, writeHeader } from './sections/header.ts';
import { pagesV4, readNodes, readPages, readPhys, writeNodes, writePages, writePhys } from './sections/pages.ts';
import { collectSites, kindV4, readAreas, readSites, writeAreas, writeSites } from './sections/sites.ts';
import { readStrings, stringTable, writeStrings } from './sections/strings.ts';
import { readView, writeView } from './sections/view.ts';
import { readWords, writeWords } from './sections/words.ts';

/** How version 4 reads the codes version 3 wrote differently. */
const V4: Dialect = { baseHigh: baseHighV4, kind: kindV4, pages: pagesV4 };

/**
 * The payload before compression (exported for tests and the benchmarks). In the bit form it is a
 * whole packed body, marker byte included.
 */
export function encodePayload(model: Model, view: ShareView, options: ShareOptions, form: PayloadForm = {}): Uint8Array {
  const varints = form.varints ?? 'base128';
  checkRepresentable(model.snapshot);
  const ctx = encodeContext(model, options.includeAddresses, form.aligned ?? false);
  const s = ctx.s;
  const strings = stringTable(s);
  const remap = s.strings.map((str) => strings.idOf.get(str)!);
  const { sites, areaSite } = collectSites(ctx, remap);
  const siteAlign = siteAlignments(ctx, areaSite);

  const w = new Writer(varints);
  writeHeader(w, ctx, varints);
  writeStrings(w, strings);
  if (ctx.absolute) writeBase(w, ctx.base);
  writeSites(w, sites, s.pointerMode === 'masked', ctx.aligned ? siteAlign : null); //  1
  writeAreas(w, areaSite); //                                                              2
  writeSizes(w, ctx, areaSite, sites.length); //                                           3
  writeEnds(w, ctx); //                                                                     4
  writeStarts(w, ctx, areaSite, siteAlign); //                                              5
  writeChains(w, ctx); //                                                                   6
  writePages(w, ctx); //                                                                    7
  writePhys(w, ctx); //                                                                     8
  writeNodes(w, ctx); //                                                                    9
  writeWords(w, ctx, strings.idOf); //                                                     10
  writeView(w, ctx, view); //                                                              11
  return w.done();
}

/**
 * A link holds every count and length up to 2^53 − 1 exactly (the parser refuses larger ones with
 * a diagnostic); a snapshot made otherwise is refused with the line, not a bare number.
 */
function checkRepresentable(s: Snapshot): void {
  const c = s.columns;
  const fits = (v: number) => Number.isNaN(v) || (v >= 0 && Number.isSafeInteger(v));
  for (let i = 0; i < s.count; i++) {
    const bad = !fits(c.size[i]) ? 'size' : !fits(c.pages[i]) ? 'pages=' : !fits(c.callerOffset[i]) ? 'caller offset' : !fits(c.callerLength[i]) ? 'caller length' : null;
    if (bad) throw new Error(`The area of line ${c.line[i]} has a ${bad} beyond 2^53 − 1, more than a share link holds.`);
    for (let j = c.nodeStart[i]; j < c.nodeStart[i + 1]; j++) {
      if (!fits(c.nodePages[j])) throw new Error(`The area of line ${c.line[i]} has a node page count beyond 2^53 − 1, more than a share link holds.`);
    }
  }
}

function emptyColumns(n: number): AreaColumns {
  const columns: AreaColumns = {
    startHi: new Uint32Array(n),
    startLo: new Uint32Array(n),
    endHi: new Uint32Array(n),
    endLo: new Uint32Array(n),
    size: new Float64Array(n),
    pages: new Float64Array(n),
    kind: new Uint8Array(n),
    flagBits: new Uint16Array(n),
    symbol: new Int32Array(n),
    module: new Int32Array(n),
    callerOffset: new Float64Array(n),
    callerLength: new Float64Array(n),
    physHi: new Uint32Array(n),
    physLo: new Uint32Array(n),
    line: new Uint32Array(n),
    nodeStart: new Uint32Array(n + 1),
    nodeId: new Uint16Array(0),
    nodePages: new Float64Array(0),
  };
  for (let i = 0; i < n; i++) columns.line[i] = i + 1;
  return columns;
}

/**
 * Parse a payload (already decompressed), or with `packed` a whole packed body, into a snapshot
 * and a view. Throws Error on anything wrong.
 */
export function decodePayload(payload: Uint8Array, packed = false): DecodedShare {
  if (payload.length > MAX_PAYLOAD) throw tooBig();
  const r = new Reader(payload, packed);
  const h = readHeader(r, packed);
  const { n, raw, pointerMode } = h;
  const dialect = h.version >= SHARE_VERSION ? V4 : V3;
  const strings = readStrings(r);
  const base = h.absolute ? readBase(r, dialect) : 0n;

  // The sections follow one another with no lengths: each is read in full before the next.
  const columns = emptyColumns(n);
  const sites = readSites(r, strings.length, pointerMode === 'masked', h.aligned, dialect); //  1
  const areaSite = readAreas(r, n, sites, columns); //                                          2
  readSizes(r, n, areaSite, sites.count, columns); //                                           3
  const endDelta = readEnds(r, raw ? n : 0); //                                                  4
  if (raw) readStarts(r, n, base, h.pageUnits, sites.align, areaSite, endDelta, columns); //    5
  if (pointerMode === 'hashed') readChains(r, n, columns); //                                   6
  readPages(r, n, dialect, columns); //                                                          7
  readPhys(r, n, h.physUnit, columns); //                                                        8
  readNodes(r, n, columns); //                                                                   9
  const flagWords = readWords(r, n, strings); //                                                10
  const view = readView(r, n, raw, h.absolute ? base : 0n); //                                  11
  r.finish('the link');

  const facts: SnapshotFacts = {
    count: n,
    lineCount: n,
    pointerMode,
    addressDigits: h.addressDigits,
    sorted: raw ? true : null,
    diagnosticCount: 0,
    errorCount: 0,
    warningCount: 0,
  };
  const snapshot = new Snapshot(facts, columns, strings, flagWords, []);
  return { snapshot, view, addressesHidden: raw && !h.absolute && n > 0 };
}
