// Which loader areas hold the other sections of each module (kernels since 6.4) when they do not
// simply follow its text back to back (modules.ts takes those first), as a small exact search.
// Pure arithmetic on area ids and sizes; modules.ts builds the problem from a dump.
//
// Since 6.4 the loader maps each section type of a module (text, data, rodata, ro_after_init; the
// init types too while the module is still Loading) in an area of its own, and /proc/modules prints
// only the text's base. lsmod's size is the sum of the section sizes, each rounded up to pages
// (CONFIG_STRICT_MODULE_RWX), and each area adds one guard page. So once the text area is known,
// the module's other areas are a set of at most (section types − 1) loader areas whose sizes minus
// one guard page each add up to exactly `remainder` = lsmod's size − the text area's net size.
//
// The search, per module: subsets of its candidates whose net sizes sum to the remainder
// (`options`), listed cheapest first (modules.ts prices the areas that continue the text without
// a gap lowest, then the nearer ones) and at most MAX_OPTIONS of them. Then, in groups of modules
// whose options share areas, one option per module with no area used twice: first an assignment
// satisfying the whole group (the module with the fewest options still free chosen first, or the
// modules in order in a big group), the cheapest found; failing that, the one satisfying the most.
// Several sets may fit one module (equal one-page areas nearby, often ro_after_init sections): the
// result says how many, and the module's bytes agree with lsmod whichever is taken. Every step
// counts against a budget, split between the groups; a module the listing never reached says so.

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
  | 'conflict'
  /** The search's budget ran out before any set was found. */
  | 'unsearched';

export interface SectionResult {
  status: SectionStatus;
  /** The areas given to the module (empty for 'none' and 'conflict'). */
  areas: number[];
  /** How many sets of its candidates add up (capped at MAX_OPTIONS). */
  options: number;
}

/** Options listed per module (the cheapest found first). */
export const MAX_OPTIONS = 24;
/** Groups of at most this many modules are searched choosing the most constrained module first. */
const MRV_GROUP = 40;
/** Bigger groups are searched in module order, this many modules at a time. */
const IN_ORDER_SLICE = 1000;
/** Steps of the whole search (enumeration and cover) for one dump. */
export const STEP_BUDGET = 1_000_000;
/** Steps of listing one module's options. */
const ENUMERATION_BUDGET = 20_000;

interface Options {
  list: number[][];
  /** Total cost of each option. */
  costs: number[];
  /** false when not every fitting set is in `list` (budget or MAX_OPTIONS). */
  complete: boolean;
}

class Budget {
  steps = 0;
  constructor(readonly limit: number) {}
  spend(): boolean {
    return ++this.steps <= this.limit;
  }
}

/**
 * Subsets of `m.candidates` (at most m.maxAreas) whose nets sum to m.remainder, cheapest first.
 * Candidates are ranked by cost, and the sets are listed by their costliest member (all sets
 * within the nearest two candidates, then within the nearest three, ...), so the sets found first
 * are made of the likely areas; the listing stops at MAX_OPTIONS of them.
 */
function enumerate(m: SectionModule, net: (area: number) => number, budget: Budget): Options {
  const byCost = m.candidates
    .map((a, k) => ({ a, rank: m.costs[k], n: net(a) }))
    .filter((x) => x.n > 0 && x.n <= m.remainder)
    .sort((x, y) => x.rank - y.rank);
  // The smallest net among the first k candidates: a branch whose rest cannot fit stops early.
  const smallest = new Array<number>(byCost.length + 1).fill(Infinity);
  for (let k = 0; k < byCost.length; k++) smallest[k + 1] = Math.min(smallest[k], byCost[k].n);
  const found: Array<{ areas: number[]; cost: number }> = [];
  let complete = true;
  const pick: number[] = [];
  // Sets of candidates below `upper` adding up to `left`, at most m.maxAreas members in all.
  const walk = (upper: number, left: number, cost: number): boolean => {
    if (left === 0) {
      found.push({ areas: pick.map((k) => byCost[k].a), cost });
      if (found.length >= MAX_OPTIONS) return (complete = false);
      return true;
    }
    if (pick.length >= m.maxAreas) return true;
    for (let k = upper - 1; k >= 0 && smallest[k + 1] <= left; k--) {
      if (!budget.spend()) return (complete = false);
      if (byCost[k].n > left) continue;
      pick.push(k);
      const go = walk(k, left - byCost[k].n, cost + byCost[k].rank);
      pick.pop();
      if (!go) return false;
    }
    return true;
  };
  for (let top = 0; top < byCost.length; top++) {
    if (!budget.spend()) {
      complete = false;
      break;
    }
    if (byCost[top].n > m.remainder) continue;
    pick.push(top);
    const go = walk(top, m.remainder - byCost[top].n, byCost[top].rank);
    pick.pop();
    if (!go) break;
  }
  found.sort((x, y) => x.cost - y.cost);
  return { list: found.map((f) => f.areas), costs: found.map((f) => f.cost), complete };
}

/** Groups of modules whose options share no area with another group's: each is solved alone. */
function components(mods: number[], options: number[][][]): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(x) !== r) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const owner = new Map<number, number>();
  for (const m of mods) parent.set(m, m);
  for (const m of mods) {
    for (const opt of options[m]) {
      for (const a of opt) {
        const o = owner.get(a);
        if (o === undefined) owner.set(a, m);
        else parent.set(find(o), find(m));
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (const m of mods) {
    const r = find(m);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(m);
  }
  return [...groups.values()];
}

/**
 * One option per module in `mods` (indices into `options`), no area twice: the assignment that
 * satisfies the most modules and, among those, has the least total cost. Depth first with bounds,
 * each time on the module with the fewest options still free of used areas (a module left with
 * none is given none), options cheapest first. Returns the chosen option index per module (-1:
 * none): the best found, even when the budget cut the search short.
 */
function cover(mods: number[], options: number[][][], costs: number[][], budget: Budget, allowNone: boolean): Map<number, number> | null {
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
        budget.steps += pick.size;
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
    if (!allowNone && fewest === 0) return;
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
    if (stop || !allowNone) return;
    pick.set(m, -1);
    dfs(rest, satisfied, cost);
    pick.delete(m);
  };
  dfs(mods, 0, 0);
  return bestCount < 0 ? null : best;
}

/**
 * cover() for a big group: the modules in the given order (fewest options first), so that the
 * first assignment is found in linear time; bounded by the cheapest option of each module left.
 */
function coverInOrder(mods: number[], options: number[][][], costs: number[][], budget: Budget, used: Set<number>, allowNone: boolean): Map<number, number> | null {
  const n = mods.length;
  const floor = new Float64Array(n + 1);
  for (let k = n - 1; k >= 0; k--) floor[k] = floor[k + 1] + Math.min(...costs[mods[k]]);
  const pick = new Int32Array(n).fill(-1);
  let best = pick.slice();
  let bestCount = -1;
  let bestCost = Infinity;
  let stop = false;
  const dfs = (k: number, satisfied: number, cost: number) => {
    if (stop) return;
    if (!budget.spend()) {
      stop = true;
      return;
    }
    const most = satisfied + n - k;
    if (most < bestCount || (most === bestCount && cost + floor[k] >= bestCost)) return;
    if (k === n) {
      budget.steps += n;
      best = pick.slice();
      bestCount = satisfied;
      bestCost = cost;
      return;
    }
    const m = mods[k];
    for (let o = 0; o < options[m].length && !stop; o++) {
      const opt = options[m][o];
      if (opt.some((a) => used.has(a))) continue;
      for (const a of opt) used.add(a);
      pick[k] = o;
      dfs(k + 1, satisfied + 1, cost + costs[m][o]);
      pick[k] = -1;
      for (const a of opt) used.delete(a);
    }
    if (!stop && allowNone) dfs(k + 1, satisfied, cost);
  };
  dfs(0, 0, 0);
  return bestCount < 0 ? null : new Map(mods.map((m, k) => [m, best[k]]));
}

/** Solve the whole problem; `net(area)` is the area's size minus its guard page. */
export function assignSections(modules: SectionModule[], net: (area: number) => number, limit = STEP_BUDGET): SectionResult[] {
  // Listing options: at most ENUMERATION_BUDGET steps per module, and `limit` for all of them.
  const listing = new Budget(limit);
  const opts = modules.map((m) => {
    const own = new Budget(Math.max(0, Math.min(ENUMERATION_BUDGET, listing.limit - listing.steps)));
    const o = enumerate(m, net, own);
    listing.steps += own.steps;
    return o;
  });
  const options = opts.map((o) => o.list);
  const mods = modules.map((_, k) => k).filter((k) => options[k].length > 0);
  mods.sort((x, y) => options[x].length - options[y].length || x - y);
  const costs = opts.map((o) => o.costs);
  const best = new Map<number, number>();
  const groups = components(mods, options);
  let left = limit;
  groups.forEach((group, g) => {
    // Each group gets its share of what is left of the budget.
    const share = new Budget(Math.floor(left / (groups.length - g)));
    // First an assignment that satisfies every module of the group, with half the share; else the
    // one that satisfies the most.
    const half = new Budget(Math.floor(share.limit / 2));
    const solve = (allowNone: boolean, b: Budget): Map<number, number> | null => {
      if (group.length <= MRV_GROUP) return cover(group, options, costs, b, allowNone);
      // In slices of at most IN_ORDER_SLICE modules (the search recurses once per module), each
      // keeping clear of the areas the slices before it took.
      const used = new Set<number>();
      const out = new Map<number, number>();
      for (let from = 0; from < group.length; from += IN_ORDER_SLICE) {
        const slice = group.slice(from, from + IN_ORDER_SLICE);
        const part = new Budget(Math.floor((b.limit * slice.length) / group.length));
        const found = coverInOrder(slice, options, costs, part, used, allowNone);
        b.steps += part.steps;
        if (found === null) return null;
        for (const [m, o] of found) {
          out.set(m, o);
          if (o >= 0) for (const a of options[m][o]) used.add(a);
        }
      }
      return out;
    };
    const rest = new Budget(share.limit - half.limit);
    const found = solve(false, half) ?? solve(true, rest) ?? new Map<number, number>();
    for (const [m, o] of found) best.set(m, o);
    share.steps = half.steps + rest.steps;
    left -= Math.min(share.steps, share.limit);
  });
  return modules.map((_, k) => {
    const o = best.get(k) ?? -1;
    if (options[k].length === 0) return { status: opts[k].complete ? 'none' : 'unsearched', areas: [], options: 0 };
    if (o < 0) return { status: 'conflict', areas: [], options: options[k].length };
    return { status: options[k].length === 1 && opts[k].complete ? 'certain' : 'nearest', areas: options[k][o], options: options[k].length };
  });
}
