// Which loader areas hold the other sections of each module (kernels since 6.4), as a small exact
// search. Pure arithmetic on area ids and sizes; modules.ts builds the problem from a dump.
//
// Since 6.4 the loader maps each section type of a module (text, data, rodata, ro_after_init; the
// init types too while the module is still Loading) in an area of its own, and /proc/modules prints
// only the text's base. lsmod's size is the sum of the section sizes, each rounded up to pages
// (CONFIG_STRICT_MODULE_RWX), and each area adds one guard page. So once the text area is known,
// the module's other areas are a set of at most (section types − 1) loader areas whose sizes minus
// one guard page each add up to exactly `remainder` = lsmod's size − the text area's net size.
//
// The search, per module: subsets of its candidates whose net sizes sum to the remainder
// (`options`, cheapest first: modules.ts makes the areas that continue the text without a gap the
// cheapest, since the loader maps text, data, rodata, ro_after_init one after the other at the
// lowest free address that fits, so they follow the text unless a hole, e.g. one left by freed init
// sections, came first). Then one option per module with no area used twice, the module with the
// fewest options still free first, keeping the assignment that satisfies the most modules and,
// among those, costs the least in total. When several sets fit one
// module they differ only by areas of equal total size (often the one-page ro_after_init areas):
// the module's bytes agree with lsmod either way, and the result says how many sets fit. Every
// step counts against a budget; a module whose options could not all be listed says so.

/** One module's part of the problem. */
export interface SectionModule {
  /** Net bytes (size − one guard page, summed) that its other areas must hold; > 0. */
  remainder: number;
  /** Candidate area ids, most likely first. */
  candidates: number[];
  /** Cost of each candidate (same order): options with the least total are preferred. */
  costs: number[];
  /** Most areas it may take besides its text. */
  maxAreas: number;
}

export type SectionStatus =
  /** Exactly one set of its candidates adds up, and it was given to the module. */
  | 'certain'
  /** Several sets add up (or not all could be listed): the nearest that fits with the others was given. */
  | 'nearest'
  /** No subset of its candidates adds up to the remainder. */
  | 'none'
  /** Subsets add up, but every one of them is needed by other modules. */
  | 'conflict';

export interface SectionResult {
  status: SectionStatus;
  /** The areas given to the module (empty for 'none' and 'conflict'). */
  areas: number[];
  /** How many sets of its candidates add up (capped at MAX_OPTIONS). */
  options: number;
}

/** Options kept per module (the nearest), of at most MAX_FOUND listed. */
export const MAX_OPTIONS = 24;
const MAX_FOUND = 4096;
/** Steps of the whole search (enumeration and cover) for one dump. */
export const STEP_BUDGET = 1_000_000;
/** Steps of listing one module's options. */
const ENUMERATION_BUDGET = 100_000;

interface Options {
  list: number[][];
  /** Total cost of each option. */
  costs: number[];
  /** false when not every fitting set is in `list` (budget, MAX_FOUND or MAX_OPTIONS). */
  complete: boolean;
}

class Budget {
  steps = 0;
  constructor(readonly limit: number) {}
  spend(): boolean {
    return ++this.steps <= this.limit;
  }
}

/** Subsets of `m.candidates` (at most m.maxAreas) whose nets sum to m.remainder, nearest first. */
function enumerate(m: SectionModule, net: (area: number) => number, budget: Budget): Options {
  // Ascending size, so a branch stops at the first candidate too big for what is left.
  const bySize = m.candidates
    .map((a, k) => ({ a, rank: m.costs[k], n: net(a) }))
    .filter((x) => x.n > 0 && x.n <= m.remainder)
    .sort((x, y) => x.n - y.n || x.rank - y.rank);
  const found: Array<{ areas: number[]; cost: number }> = [];
  let complete = true;
  const pick: number[] = [];
  const walk = (from: number, left: number, cost: number): boolean => {
    if (left === 0) {
      if (found.length >= MAX_FOUND) return (complete = false);
      found.push({ areas: pick.map((k) => bySize[k].a), cost });
      return true;
    }
    if (pick.length >= m.maxAreas) return true;
    for (let k = from; k < bySize.length; k++) {
      if (!budget.spend()) return (complete = false);
      if (bySize[k].n > left) break;
      pick.push(k);
      const go = walk(k + 1, left - bySize[k].n, cost + bySize[k].rank);
      pick.pop();
      if (!go) return false;
    }
    return true;
  };
  walk(0, m.remainder, 0);
  found.sort((x, y) => x.cost - y.cost);
  if (found.length > MAX_OPTIONS) complete = false;
  const kept = found.slice(0, MAX_OPTIONS);
  return { list: kept.map((f) => f.areas), costs: kept.map((f) => f.cost), complete };
}

/**
 * One option per module in `mods` (indices into `options`), no area twice: the assignment that
 * satisfies the most modules and, among those, has the least total cost. Depth first with bounds,
 * each time on the module with the fewest options still free of used areas (a module left with
 * none is given none), options cheapest first. Returns the chosen option index per module (-1:
 * none): the best found, even when the budget cut the search short.
 */
function cover(mods: number[], options: number[][][], costs: number[][], budget: Budget): Map<number, number> {
  let best = new Map<number, number>();
  let bestCount = -1;
  let bestCost = Infinity;
  const used = new Set<number>();
  const pick = new Map<number, number>();
  let stop = false;
  const fits = (opt: number[]) => opt.every((a) => !used.has(a));
  const dfs = (left: number[], satisfied: number, cost: number) => {
    if (stop) return;
    if (satisfied + left.length < bestCount) return;
    if (left.length === 0) {
      if (satisfied > bestCount || cost < bestCost) {
        best = new Map(pick);
        bestCount = satisfied;
        bestCost = cost;
      }
      return;
    }
    // The module with the fewest options that still fit, and a lower bound of what is left to pay.
    let at = 0;
    let fewest = Infinity;
    let floor = cost;
    for (let k = 0; k < left.length; k++) {
      let free = 0;
      let cheapest = Infinity;
      const opts = options[left[k]];
      for (let o = 0; o < opts.length; o++) {
        if (!budget.spend()) {
          stop = true;
          return;
        }
        if (fits(opts[o])) {
          free++;
          cheapest = Math.min(cheapest, costs[left[k]][o]);
        }
      }
      if (free > 0) floor += cheapest;
      if (free < fewest) {
        fewest = free;
        at = k;
      }
    }
    if (satisfied + left.length === bestCount && fewest > 0 && floor >= bestCost) return;
    const m = left[at];
    const rest = left.filter((_, k) => k !== at);
    for (let o = 0; o < options[m].length && !stop; o++) {
      const opt = options[m][o];
      if (!fits(opt)) continue;
      for (const a of opt) used.add(a);
      pick.set(m, o);
      dfs(rest, satisfied + 1, cost + costs[m][o]);
      pick.delete(m);
      for (const a of opt) used.delete(a);
    }
    if (stop) return;
    pick.set(m, -1);
    dfs(rest, satisfied, cost);
    pick.delete(m);
  };
  dfs(mods, 0, 0);
  return best;
}

/** Solve the whole problem; `net(area)` is the area's size minus its guard page. */
export function assignSections(modules: SectionModule[], net: (area: number) => number, limit = STEP_BUDGET): SectionResult[] {
  const budget = new Budget(limit);
  const opts = modules.map((m) => enumerate(m, net, new Budget(Math.min(ENUMERATION_BUDGET, limit))));
  const options = opts.map((o) => o.list);
  const mods = modules.map((_, k) => k).filter((k) => options[k].length > 0);
  mods.sort((x, y) => options[x].length - options[y].length || x - y);
  const best = cover(mods, options, opts.map((o) => o.costs), budget);
  return modules.map((_, k) => {
    const o = best.get(k) ?? -1;
    if (options[k].length === 0) return { status: 'none', areas: [], options: 0 };
    if (o < 0) return { status: 'conflict', areas: [], options: options[k].length };
    return { status: options[k].length === 1 && opts[k].complete ? 'certain' : 'nearest', areas: options[k][o], options: options[k].length };
  });
}
