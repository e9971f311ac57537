// The string table (docs/share-format.md, "Strings"): callers, modules and odd flag words, those
// of the built-in dictionary by index, the others spelled out with the prefix they share with the
// previous one. Decoding caps each string (MAX_STRING) and their sum (MAX_PAYLOAD).

import type { Snapshot } from '../../parse/snapshot.ts';
import type { Reader, Writer } from '../bits.ts';
import { broken } from '../bits.ts';
import { DICTIONARY_INDEX, SHARE_DICTIONARY } from '../dictionary.ts';
import { MAX_PAYLOAD, tooBig } from '../envelope.ts';
import { MAX_STRING, text, utf8 } from '../format.ts';

export interface StringTable {
  /** Dictionary strings, by dictionary index. */
  fromDictionary: string[];
  /** The other strings, sorted so neighbours share prefixes. */
  literals: string[];
  /** String → its id in the link (dictionary strings first, then the literals). */
  idOf: Map<string, number>;
}

/** Every caller, module and odd flag word of a snapshot, and the ids the link gives them. */
export function stringTable(s: Snapshot): StringTable {
  const all = new Set<string>(s.strings);
  for (const words of s.flagWords.values()) for (const w of words) all.add(w);
  const fromDictionary = [...all].filter((str) => DICTIONARY_INDEX.has(str)).sort((a, b) => DICTIONARY_INDEX.get(a)! - DICTIONARY_INDEX.get(b)!);
  const literals = [...all].filter((str) => !DICTIONARY_INDEX.has(str)).sort();
  const idOf = new Map<string, number>([...fromDictionary, ...literals].map((str, k) => [str, k]));
  return { fromDictionary, literals, idOf };
}

export function writeStrings(w: Writer, table: StringTable): void {
  w.uint(table.fromDictionary.length);
  let prevIndex = -1;
  for (const str of table.fromDictionary) {
    const index = DICTIONARY_INDEX.get(str)!;
    w.uint(index - prevIndex - 1);
    prevIndex = index;
  }
  w.uint(table.literals.length);
  let prevBytes = new Uint8Array(0);
  for (const str of table.literals) {
    const b = utf8.encode(str);
    if (b.length > MAX_STRING) throw new Error(`A name of ${b.length} bytes cannot be shared (at most ${MAX_STRING}): ${str.slice(0, 40)}…`);
    let shared = 0;
    while (shared < b.length && shared < prevBytes.length && b[shared] === prevBytes[shared]) shared++;
    w.uint(shared);
    w.uint(b.length - shared);
    w.bytes(b.subarray(shared));
    prevBytes = b;
  }
}

/** The strings by id. */
export function readStrings(r: Reader): string[] {
  // Shared prefixes make strings longer than their bytes in the link: each string is capped, and so
  // is their sum, or a few megabytes of prefixes could ask for gigabytes.
  const strings: string[] = [];
  const wordCount = r.uint('the dictionary word count', SHARE_DICTIONARY.length);
  let index = -1;
  for (let k = 0; k < wordCount; k++) {
    index += r.uint('a dictionary word', SHARE_DICTIONARY.length) + 1;
    if (index >= SHARE_DICTIONARY.length) throw broken('a dictionary word is out of range');
    strings.push(SHARE_DICTIONARY[index]);
  }
  const literalCount = r.uint('the string count', Math.floor(r.left / 2));
  let prev = new Uint8Array(0);
  let stringBytes = 0;
  for (let k = 0; k < literalCount; k++) {
    const shared = r.uint('a string prefix', prev.length);
    const rest = r.take(r.uint('a string length', MAX_STRING - shared), 'a string');
    stringBytes += shared + rest.length;
    if (stringBytes > MAX_PAYLOAD) throw tooBig();
    const b = new Uint8Array(shared + rest.length);
    b.set(prev.subarray(0, shared));
    b.set(rest, shared);
    strings.push(text(b, 'a string'));
    prev = b;
  }
  return strings;
}
