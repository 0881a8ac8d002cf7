// The larger fuzz run for humans (spec/security.md §2.2): the same harness as
// test/security/fuzz.test.ts, a random seed by default and many more iterations.
//
//   npx tsx scripts/fuzz.ts [--runs N] [--seed S] [--only REGEX] [--timeout MS]
//
// --runs is per target (default 5000). A failure prints the seed, target, input index and input;
// re-run with the same --seed and --only to reproduce. Exits 1 on any crash or hang.
import { buildFuzzTargets, runFuzz } from '../test/security/fuzz-harness.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('runs') ?? 5000);
const seed = arg('seed') !== undefined ? Number(arg('seed')) : (Math.random() * 2 ** 31) | 0;
const timeoutMs = Number(arg('timeout') ?? 5000);
const onlyArg = arg('only');
const only = onlyArg ? new RegExp(onlyArg) : undefined;
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed) || !(timeoutMs > 0)) {
  console.error('usage: tsx scripts/fuzz.ts [--runs N] [--seed S] [--only REGEX] [--timeout MS]');
  process.exit(2);
}

const started = performance.now();
console.log(`session-sdk fuzz: seed ${seed}, ${runs} inputs per target, ${timeoutMs} ms time box`);
const targets = await buildFuzzTargets();
const stats = await runFuzz(targets, { seed, runs, timeoutMs, only, log: (l) => console.log(l) });
const secs = (performance.now() - started) / 1000;
const typed = Object.values(stats.perTarget).reduce((a, s) => a + s.typedErrors, 0);
console.log(`\n${stats.targets} targets, ${stats.iterations} iterations in ${secs.toFixed(1)} s (${(stats.iterations / secs).toFixed(0)}/s), ${typed} typed rejections`);
for (const f of stats.failures) console.log(`${f.kind.toUpperCase()} ${f.target} #${f.index}: ${f.error}\n  input ${f.input}`);
console.log(`fuzz: ${stats.iterations - stats.failures.length} passed, ${stats.failures.length} failed (seed ${seed})`);
process.exit(stats.failures.length ? 1 : 0);
