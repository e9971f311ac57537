// Byte arrays put end to end: the scanner's held-over line pieces, a recording's frames, a frame's
// sections. One copy of the loop for all of `lib`.

/** The parts as one new array, in order. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const part of parts) len += part.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
