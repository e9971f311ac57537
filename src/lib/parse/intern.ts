// Interning of caller symbols and module names straight from the input bytes: a dump of a million
// lines names a few hundred distinct callers, so each distinct name becomes a JS string once and
// every other occurrence costs a hash and a byte compare, not an allocation.

const EMPTY = -1;

export class ByteInterner {
  readonly strings: string[] = [];
  private slots: Int32Array = new Int32Array(1024).fill(EMPTY);
  private hashes: number[] = [];
  private bytes: Uint8Array[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  /** Index of the string spelled by src[from, to). */
  intern(src: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let p = from; p < to; p++) h = Math.imul(h ^ src[p], 0x01000193);
    h >>>= 0;
    const len = to - from;
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = h & mask;
    for (;;) {
      const id = slots[s];
      if (id === EMPTY) break;
      if (this.hashes[id] === h) {
        const b = this.bytes[id];
        if (b.length === len) {
          let k = 0;
          while (k < len && b[k] === src[from + k]) k++;
          if (k === len) return id;
        }
      }
      s = (s + 1) & mask;
    }
    const id = this.strings.length;
    const copy = src.slice(from, to);
    this.strings.push(this.decoder.decode(copy));
    this.hashes.push(h);
    this.bytes.push(copy);
    slots[s] = id;
    if (this.strings.length * 2 > slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let id = 0; id < this.hashes.length; id++) {
      let s = this.hashes[id] & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = id;
    }
    this.slots = slots;
  }
}
