// Growable column storage the scanner writes into, trimmed to a Snapshot's AreaColumns at the end.

import type { AreaColumns } from './snapshot.ts';

export class ColumnBuilder implements AreaColumns {
  capacity: number;
  startHi: Uint32Array;
  startLo: Uint32Array;
  endHi: Uint32Array;
  endLo: Uint32Array;
  size: Float64Array;
  pages: Float64Array;
  kind: Uint8Array;
  flagBits: Uint16Array;
  symbol: Int32Array;
  module: Int32Array;
  callerOffset: Float64Array;
  callerLength: Float64Array;
  physHi: Uint32Array;
  physLo: Uint32Array;
  line: Uint32Array;
  nodeStart: Uint32Array;
  nodeId: Uint16Array;
  nodePages: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.startHi = new Uint32Array(capacity);
    this.startLo = new Uint32Array(capacity);
    this.endHi = new Uint32Array(capacity);
    this.endLo = new Uint32Array(capacity);
    this.size = new Float64Array(capacity);
    this.pages = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.flagBits = new Uint16Array(capacity);
    this.symbol = new Int32Array(capacity);
    this.module = new Int32Array(capacity);
    this.callerOffset = new Float64Array(capacity);
    this.callerLength = new Float64Array(capacity);
    this.physHi = new Uint32Array(capacity);
    this.physLo = new Uint32Array(capacity);
    this.line = new Uint32Array(capacity);
    this.nodeStart = new Uint32Array(capacity + 1);
    this.nodeId = new Uint16Array(capacity);
    this.nodePages = new Float64Array(capacity);
  }

  /** Make room for at least `areas` areas (×1.5 growth). */
  grow(areas: number): void {
    const cap = Math.max(areas, Math.ceil(this.capacity * 1.5) + 16);
    const g = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (n: number) => T)(len);
      b.set(a);
      return b;
    };
    this.startHi = g(this.startHi, cap);
    this.startLo = g(this.startLo, cap);
    this.endHi = g(this.endHi, cap);
    this.endLo = g(this.endLo, cap);
    this.size = g(this.size, cap);
    this.pages = g(this.pages, cap);
    this.kind = g(this.kind, cap);
    this.flagBits = g(this.flagBits, cap);
    this.symbol = g(this.symbol, cap);
    this.module = g(this.module, cap);
    this.callerOffset = g(this.callerOffset, cap);
    this.callerLength = g(this.callerLength, cap);
    this.physHi = g(this.physHi, cap);
    this.physLo = g(this.physLo, cap);
    this.line = g(this.line, cap);
    this.nodeStart = g(this.nodeStart, cap + 1);
    this.capacity = cap;
  }

  growNodes(): void {
    const id = new Uint16Array(Math.ceil(this.nodeId.length * 1.5) + 16);
    id.set(this.nodeId);
    const pages = new Float64Array(id.length);
    pages.set(this.nodePages);
    this.nodeId = id;
    this.nodePages = pages;
  }

  /**
   * Remove the areas at `rows` (ascending) from the first n areas, keeping the others in order
   * with their node counts; returns the number of node counts left. Rare (lines the model cannot
   * represent once the whole dump is seen), so plain loops.
   */
  remove(rows: readonly number[], n: number): number {
    const cols = [this.startHi, this.startLo, this.endHi, this.endLo, this.size, this.pages, this.kind, this.flagBits, this.symbol, this.module, this.callerOffset, this.callerLength, this.physHi, this.physLo, this.line];
    let out = 0;
    let nodesOut = 0;
    let r = 0;
    for (let i = 0; i < n; i++) {
      const from = this.nodeStart[i];
      const to = this.nodeStart[i + 1];
      if (r < rows.length && rows[r] === i) {
        r++;
        continue;
      }
      for (const c of cols) c[out] = c[i];
      this.nodeStart[out] = nodesOut;
      for (let k = from; k < to; k++) {
        this.nodeId[nodesOut] = this.nodeId[k];
        this.nodePages[nodesOut++] = this.nodePages[k];
      }
      out++;
    }
    this.nodeStart[out] = nodesOut;
    return nodesOut;
  }

  /** Trim every column to n areas: views when the slack is small, copies when it is not. */
  trimmed(n: number, nodes: number): AreaColumns {
    const cut = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T, len: number): T =>
      (a.length - len > 1024 && a.length > len * 1.25 ? a.slice(0, len) : a.subarray(0, len)) as T;
    return {
      startHi: cut(this.startHi, n),
      startLo: cut(this.startLo, n),
      endHi: cut(this.endHi, n),
      endLo: cut(this.endLo, n),
      size: cut(this.size, n),
      pages: cut(this.pages, n),
      kind: cut(this.kind, n),
      flagBits: cut(this.flagBits, n),
      symbol: cut(this.symbol, n),
      module: cut(this.module, n),
      callerOffset: cut(this.callerOffset, n),
      callerLength: cut(this.callerLength, n),
      physHi: cut(this.physHi, n),
      physLo: cut(this.physLo, n),
      line: cut(this.line, n),
      nodeStart: cut(this.nodeStart, n + 1),
      nodeId: cut(this.nodeId, nodes),
      nodePages: cut(this.nodePages, nodes),
    };
  }
}
