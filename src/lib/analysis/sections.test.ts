import { describe, expect, it } from 'vitest';
import { assignSections, STEP_BUDGET } from './sections.ts';
import type { SectionModule } from './sections.ts';

const PAGE = 4096;
/** Areas as sizes (guard page included); an area id is its index. */
const netOf = (sizes: number[]) => (a: number) => sizes[a] - PAGE;
const near = (ids: number[]) => ({ candidates: ids, costs: ids.map((_, k) => k) });

describe('the search for the other sections of each module', () => {
  it('gives each module the areas whose sizes minus a guard page add up to what it lacks, no area twice', () => {
    // Two modules: A lacks 12 KiB (an 8 KiB and a 4 KiB section), B lacks 8 KiB. Areas, guard
    // pages included: 12K, 8K, 12K, so A takes one of the 12K areas and the 8K one, B the other.
    const sizes = [3 * PAGE, 2 * PAGE, 3 * PAGE];
    const mods: SectionModule[] = [
      { remainder: 3 * PAGE, maxAreas: 3, ...near([0, 1, 2]) },
      { remainder: 2 * PAGE, maxAreas: 3, ...near([2, 1, 0]) },
    ];
    const r = assignSections(mods, netOf(sizes));
    expect(r.map((x) => x.status)).toEqual(['nearest', 'nearest']);
    expect(r[0].areas).toContain(1);
    const all = r.flatMap((x) => x.areas);
    expect(new Set(all).size).toBe(all.length);
    for (const [k, m] of mods.entries()) expect(r[k].areas.reduce((s, a) => s + sizes[a] - PAGE, 0)).toBe(m.remainder);
  });

  it('says when no set adds up, and when the sets that do are all needed by other modules', () => {
    const sizes = [2 * PAGE, 2 * PAGE];
    const r = assignSections(
      [
        { remainder: 5 * PAGE, maxAreas: 3, ...near([0, 1]) },
        { remainder: PAGE, maxAreas: 3, ...near([0]) },
        { remainder: PAGE, maxAreas: 3, ...near([0]) },
      ],
      netOf(sizes),
    );
    expect(r[0]).toEqual({ status: 'none', areas: [], options: 0 });
    expect(r.slice(1).map((x) => x.status).sort()).toEqual(['certain', 'conflict']);
  });

  it('prefers the areas that cost least when several sets fit', () => {
    const sizes = [2 * PAGE, 2 * PAGE, 2 * PAGE];
    const r = assignSections([{ remainder: PAGE, maxAreas: 3, candidates: [0, 1, 2], costs: [5, 1, 9] }], netOf(sizes));
    expect(r[0]).toEqual({ status: 'nearest', areas: [1], options: 3 });
  });

  it('ends within its step budget when thousands of equal areas fit every module', () => {
    // 400 modules each lacking three pages, 3,000 one-page areas, every module seeing 64 of them.
    const sizes = Array.from({ length: 3000 }, () => 2 * PAGE);
    const mods: SectionModule[] = Array.from({ length: 400 }, (_, k) => ({ remainder: 3 * PAGE, maxAreas: 6, ...near(Array.from({ length: 64 }, (_, j) => (k * 7 + j) % 3000)) }));
    const t0 = performance.now();
    const r = assignSections(mods, netOf(sizes));
    // About 0.2 s on an idle machine; without its budget the search is exponential here and would
    // not end at all. The bound leaves room for a machine busy with other work.
    expect(performance.now() - t0).toBeLessThan(20_000);
    const all = r.flatMap((x) => x.areas);
    expect(new Set(all).size).toBe(all.length);
    for (const x of r) if (x.status === 'certain' || x.status === 'nearest') expect(x.areas.length).toBe(3);
    expect(STEP_BUDGET).toBeGreaterThan(0);
  });
});
