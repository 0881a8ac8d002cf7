// Fuzzing every public decoder and decrypt function (spec/security.md §2.2): random and mutated
// valid inputs with a fixed seed; zero crashes (only SessionSdkError may escape), zero hangs (each
// call time-boxed). SESSION_SDK_FUZZ_RUNS raises the per-target count; scripts/fuzz.ts (`npm run
// fuzz`) runs the same harness with a random seed and many more iterations.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import { DECODER_EXPORT_RE, NOT_FUZZED, buildFuzzTargets, runFuzz, type FuzzTarget } from './fuzz-harness.js';

const SEED = 20_261_126;
const RUNS = Number(process.env.SESSION_SDK_FUZZ_RUNS ?? (process.env.SESSION_SDK_SLOW ? 2000 : 150));

describe('fuzz harness', () => {
  let targets: FuzzTarget[];
  beforeAll(async () => {
    targets = await buildFuzzTargets();
  });

  it('covers every decoder-like export of src/index.ts (or lists why not)', () => {
    const covered = new Set<string>();
    for (const t of targets) {
      covered.add(t.name.replace(/[.(].*$/, ''));
      for (const c of t.covers ?? []) covered.add(c);
    }
    const decoders = Object.keys(sdk).filter((k) => DECODER_EXPORT_RE.test(k) && typeof (sdk as Record<string, unknown>)[k] === 'function');
    expect(decoders.length).toBeGreaterThan(60);
    const missing = decoders.filter((k) => !covered.has(k) && !(k in NOT_FUZZED));
    expect(missing).toEqual([]);
    // every valid seed really is accepted, so the mutations start from deep inside each decoder
  });

  it('every seed input is accepted by its target (mutations start from valid data)', async () => {
    const rejected: string[] = [];
    for (const t of targets) {
      for (const s of t.seeds) {
        try {
          await (t.call as (x: unknown) => unknown)(s);
        } catch (e) {
          rejected.push(`${t.name}: ${String(e)}`);
        }
      }
    }
    expect(rejected).toEqual([]);
  });

  it('the harness itself reports crashes (non-SessionSdkError throws) and hangs', async () => {
    const bad: FuzzTarget[] = [
      { name: 'crashes', kind: 'bytes', seeds: [new Uint8Array(4)], call: ((b: Uint8Array) => {
        if (b.length % 2) throw new TypeError('boom');
        throw new sdk.SessionSdkError('INVALID_INPUT', 'fine');
      }) as never },
      { name: 'hangs', kind: 'bytes', seeds: [new Uint8Array(1)], call: (() => new Promise(() => undefined)) as never },
    ];
    const stats = await runFuzz(bad, { seed: 1, runs: 20, timeoutMs: 20 });
    expect(stats.failures.some((f) => f.target === 'crashes' && f.kind === 'crash' && f.error === 'TypeError: boom')).toBe(true);
    expect(stats.failures.filter((f) => f.target === 'hangs' && f.kind === 'hang').length).toBe(20);
    expect(stats.perTarget.crashes!.typedErrors).toBeGreaterThan(0);
  });

  it(`${RUNS} random and mutated inputs per target: only SessionSdkError, no hangs`, async () => {
    const stats = await runFuzz(targets, { seed: SEED, runs: RUNS, timeoutMs: 5000 });
    const typed = Object.values(stats.perTarget).reduce((a, s) => a + s.typedErrors, 0);
    console.log(`fuzz: seed ${stats.seed}, ${stats.targets} targets, ${stats.iterations} iterations, ${typed} typed rejections, ${stats.failures.length} failures`);
    for (const f of stats.failures.slice(0, 20)) console.log(`  ${f.kind} in ${f.target} #${f.index}: ${f.error}\n    input ${f.input}`);
    expect(stats.iterations).toBe(stats.targets * RUNS);
    expect(stats.failures).toEqual([]);
  }, Math.max(180_000, RUNS * 81 * 4));
});
