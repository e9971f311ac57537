// npm run bench:startup — how long `vmscope summary` takes to start and answer on a tiny dump, as a
// user runs it (a new Node process each time), against a bare `node -e ''` in the same run.
//
//   built    node dist/cli/vmscope.js summary TINY   (the package's bin: one bundled file)
//   tsx      node src/cli/vmscope.mjs summary TINY   (the development entry: tsx compiles the sources)
//   node     node -e ''
//
// The three are run in turn, round after round (so a busy moment of the machine falls on all of
// them), after one warm-up round; the medians are compared. Goal (issue 13): built ≤ 2× node.
//   node bench/run.mjs startup [--runs N]

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, SAMPLES } from './paths.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;
// The smallest real dump: i386's boot capture (a few areas).
const TINY = join(SAMPLES, 'kernels', 'i386-6.1.0-50-686-boot-raw.vmallocinfo');
const BUILT = join(ROOT, 'dist', 'cli', 'vmscope.js');
if (!existsSync(BUILT)) {
  console.error(`bench: ${BUILT} is missing; npm run bench:startup builds it (node scripts/build.mjs --cli-only)`);
  process.exit(1);
}

const commands: Array<{ name: string; args: string[] }> = [
  { name: "node -e ''", args: ['-e', ''] },
  { name: 'vmscope summary (built bin)', args: [BUILT, 'summary', TINY] },
  { name: 'vmscope summary (tsx, src/cli/vmscope.mjs)', args: [join(ROOT, 'src', 'cli', 'vmscope.mjs'), 'summary', TINY] },
];

function once(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const times = commands.map(() => [] as number[]);
for (let round = -1; round < RUNS; round++) {
  commands.forEach((c, k) => {
    const ms = once(c.args);
    if (round >= 0) times[k].push(ms);
  });
}

console.log(`start-up, ${RUNS} runs each (medians; min–max), Node ${process.version}, load average ${loadavg()[0].toFixed(2)}`);
const base = median(times[0]);
commands.forEach((c, k) => {
  const m = median(times[k]);
  const ratio = k === 0 ? '' : `  ${(m / base).toFixed(2)}× node`;
  console.log(`  ${c.name.padEnd(44)} ${m.toFixed(0).padStart(5)} ms  (${Math.min(...times[k]).toFixed(0)}–${Math.max(...times[k]).toFixed(0)})${ratio}`);
});
const ratio = median(times[1]) / base;
console.log(`built bin / node -e '': ${ratio.toFixed(2)}× (goal ≤ 2×: ${ratio <= 2 ? 'met' : 'not met'})`);
