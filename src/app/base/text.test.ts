import { describe, expect, it } from 'vitest';
import { AREA_KINDS } from '../../lib/index.ts';
import { KIND_DESCRIPTION, POINTER_MODE_HINT, POINTER_MODE_MAP, POINTER_MODE_SENTENCE } from './text.ts';

describe('the words the app shows', () => {
  it('say for every pointer mode with areas what the addresses are and what stays exact', () => {
    for (const mode of ['raw', 'hashed', 'masked', 'zero'] as const) {
      expect(POINTER_MODE_SENTENCE[mode]).toMatch(/^addresses are \w+.*exact/);
    }
  });

  it('say plainly that a hashed dump keeps sizes but not the layout', () => {
    expect(POINTER_MODE_SENTENCE.hashed).toBe(
      'addresses are hashed (kptr_restrict=0): sizes, callers and totals are exact, layout is not',
    );
  });

  it('describe every area kind the parser knows', () => {
    expect(Object.keys(KIND_DESCRIPTION).sort()).toEqual([...AREA_KINDS].sort());
  });

  it('say for every mode without real addresses that the map is packed in file order with unknown gaps', () => {
    for (const mode of ['hashed', 'masked', 'zero'] as const) {
      expect(POINTER_MODE_MAP[mode]).toMatch(/file order, packed back to back/);
      expect(POINTER_MODE_MAP[mode]).toMatch(/unknown/);
    }
  });

  it('tell the user that root with kptr_restrict=1 or no_hash_pointers gives real addresses, never kptr_restrict=0', () => {
    // kptr_restrict=0 is what hashes %pK on 4.15+ (docs/format.md, "Address printing modes").
    for (const mode of ['hashed', 'zero'] as const) {
      expect(POINTER_MODE_HINT[mode]).toMatch(/root with kernel\.kptr_restrict=1/);
      expect(POINTER_MODE_HINT[mode]).toMatch(/no_hash_pointers/);
    }
    for (const hint of Object.values(POINTER_MODE_HINT)) expect(hint).not.toMatch(/kptr_restrict=0/);
  });
});
