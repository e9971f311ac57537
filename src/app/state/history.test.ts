import { describe, expect, it } from 'vitest';
import { HISTORY_SIZE, withDump } from './history.ts';
import type { LoadedDump } from './history.ts';

const dump = (id: number, source: LoadedDump['source'] = { kind: 'paste' }) => ({ id, source }) as LoadedDump;
const sample = (id: number, path: string) => dump(id, { kind: 'sample', path, label: null });
const file = (id: number, name: string) => dump(id, { kind: 'file', name });

describe('the session history', () => {
  it('keeps the last HISTORY_SIZE dumps, oldest first', () => {
    let history: LoadedDump[] = [];
    for (let id = 1; id <= HISTORY_SIZE + 2; id++) history = withDump(history, dump(id));
    expect(history.map((d) => d.id)).toEqual([3, 4, 5, 6, 7]);
  });

  it('does not change the history it was given', () => {
    const history = [dump(1)];
    withDump(history, dump(2));
    expect(history).toHaveLength(1);
  });

  it('replaces an earlier entry of the same bundled sample, but keeps every file of the same name', () => {
    let history: LoadedDump[] = [];
    for (const d of [sample(1, 'a'), file(2, 'x'), sample(3, 'b'), file(4, 'x'), sample(5, 'a')]) history = withDump(history, d);
    expect(history.map((d) => d.id)).toEqual([2, 3, 4, 5]);
  });
});
