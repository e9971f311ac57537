// Moving a model between threads. A Web Worker parses and builds the model; the page needs it
// whole to draw. Structured clone keeps typed arrays, Maps and bigints but not classes, so the
// snapshot travels as plain data and its column buffers are transferred, not copied.

import { Snapshot } from './parse/snapshot.ts';
import type { AreaColumns, SnapshotFacts } from './parse/snapshot.ts';
import type { Model } from './model/model.ts';
import type { Diagnostic } from './types.ts';

export interface PackedModel {
  facts: SnapshotFacts;
  columns: AreaColumns;
  strings: readonly string[];
  flagWords: ReadonlyMap<number, readonly string[]>;
  diagnostics: readonly Diagnostic[];
  model: Omit<Model, 'snapshot'>;
}

function buffersOf(values: object): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(values)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out];
}

/** Plain data for postMessage, and the buffers to transfer with it (the model is unusable after). */
export function packModel(model: Model): { packed: PackedModel; transfer: ArrayBuffer[] } {
  const s = model.snapshot;
  const { snapshot: _snapshot, ...rest } = model;
  const facts = s.facts();
  const packed: PackedModel = { facts, columns: s.columns, strings: s.strings, flagWords: s.flagWords, diagnostics: s.diagnostics, model: rest };
  return { packed, transfer: [...buffersOf(s.columns), ...buffersOf(rest)] };
}

export function unpackModel(p: PackedModel): Model {
  const snapshot = new Snapshot(p.facts, p.columns, p.strings, p.flagWords, p.diagnostics);
  return { ...p.model, snapshot };
}
