import { describe, expect, it } from 'vitest';
import { words } from './argv.ts';

/** Each word as [name, inline, the value taken] when `takes` names it, else [name, inline]. */
function read(argv: string[], takes: string[]): Array<[string, boolean, string | null] | [string, boolean]> {
  const seen: Array<[string, boolean, string | null] | [string, boolean]> = [];
  for (const w of words(argv)) seen.push(takes.includes(w.name) ? [w.name, w.inline, w.value()] : [w.name, w.inline]);
  return seen;
}

describe('the words after a command', () => {
  it('give an option its value as the next word or after "=", and the next word is then not read again', () => {
    expect(read(['--port', '8123', 'x.txt'], ['--port'])).toEqual([['--port', false, '8123'], ['x.txt', false]]);
    expect(read(['--port=8123', 'x.txt'], ['--port'])).toEqual([['--port', true, '8123'], ['x.txt', false]]);
    expect(read(['-o', 'a=b.prom', '--top=3=4'], ['-o', '--top'])).toEqual([['-o', false, 'a=b.prom'], ['--top', true, '3=4']]);
  });

  it('have no value for an option at the end, or given as "--name=" or an empty word', () => {
    expect(read(['x', '--out'], ['--out'])).toEqual([['x', false], ['--out', false, null]]);
    expect(read(['--out=', 'x'], ['--out'])).toEqual([['--out', true, null], ['x', false]]);
    expect(read(['--out', '', 'x'], ['--out'])).toEqual([['--out', false, null], ['x', false]]);
  });

  it('split only a long option at "=" (-o=x and a file a=b stay whole words) and say when a name came with its value', () => {
    expect(read(['-o=x', 'a=b', '--keep=1', '--', '-'], [])).toEqual([['-o=x', false], ['a=b', false], ['--keep', true], ['--', false], ['-', false]]);
  });
});
