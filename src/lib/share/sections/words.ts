// Section 10 (docs/share-format.md): the areas whose flag words their flag bits do not tell
// (unknown words, unusual order), by string id.

import type { Reader, Writer } from '../bits.ts';
import { readExceptions, writeExceptions } from '../format.ts';
import type { EncodeContext } from './context.ts';

export function writeWords(w: Writer, ctx: EncodeContext, idOf: Map<string, number>): void {
  const odd: Array<[number, number[]]> = [];
  for (const [i, words] of ctx.s.flagWords) odd.push([ctx.positionOf[i], words.map((word) => idOf.get(word)!)]);
  odd.sort((a, b) => a[0] - b[0]);
  writeExceptions(w, odd, (w, ids) => {
    w.uint(ids.length);
    for (const id of ids) w.uint(id);
  });
}

export function readWords(r: Reader, n: number, strings: string[]): Map<number, string[]> {
  const flagWords = new Map<number, string[]>();
  readExceptions(r, n, 'a flag word list', (i) => {
    const count = r.uint('a flag word count', r.left);
    const words: string[] = [];
    for (let j = 0; j < count; j++) words.push(strings[r.uint('a flag word', strings.length - 1)]);
    flagWords.set(i, words);
  });
  return flagWords;
}
