import { describe, expect, it } from 'vitest';
import { AREA_KINDS } from '../../lib/index.ts';
import { KIND_DESCRIPTION, POINTER_MODE_HINT, POINTER_MODE_MAP, POINTER_MODE_SENTENCE, momentHeading } from './text.ts';

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

describe('the heading of a series’ moment', () => {
  const at = Date.UTC(2026, 10, 30, 1, 0, 15);
  const local = (ms: number) => {
    const d = new Date(ms);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  };

  it('counts from one and gives the time in local time with the zone the stamps were written in', () => {
    expect(momentHeading(11, 30, { time: at, timeFrom: 'stamp', zone: '+00:00' })).toBe(`moment 12 of 30 · ${local(at)} (local) · stamps in +00:00`);
  });

  it('says when a stamp named no zone, where else a time came from, and when there is none', () => {
    expect(momentHeading(0, 2, { time: at, timeFrom: 'stamp', zone: null })).toContain('stamps name no zone: read as UTC');
    expect(momentHeading(0, 2, { time: at, timeFrom: 'mtime', zone: null })).toContain('modification time');
    expect(momentHeading(0, 2, { time: at, timeFrom: 'name', zone: null })).toContain('file name');
    expect(momentHeading(1, 2, { time: null, timeFrom: null, zone: null })).toBe('moment 2 of 2 · no time');
  });
});
