// Benchmark harness (not a test): median of timed runs, ours vs a reference in the same process.
import { performance } from 'node:perf_hooks';

export interface Timing {
  /** median milliseconds per operation */
  median: number;
  runs: number[];
}

/**
 * Times `fn`: warm up, calibrate iterations to ≈`targetMs` per run, then `runs` runs; returns the
 * median per-operation time. `fn` may be async (sequential awaited calls: latency, not throughput).
 */
export async function measure(fn: () => unknown, opts: { runs?: number; targetMs?: number; warmupMs?: number } = {}): Promise<Timing> {
  const runs = opts.runs ?? 7;
  const targetMs = opts.targetMs ?? 200;
  const warmupMs = opts.warmupMs ?? 100;
  let t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < warmupMs || n < 2) {
    await fn();
    n++;
  }
  const per = (performance.now() - t0) / n;
  const iters = Math.max(1, Math.round(targetMs / Math.max(per, 1e-4)));
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    t0 = performance.now();
    for (let i = 0; i < iters; i++) await fn();
    times.push((performance.now() - t0) / iters);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, runs: times };
}

export interface Row {
  group: string;
  name: string;
  ours: number;
  reference: number;
  referenceName: string;
  target?: number;
}

const rows: Row[] = [];

function fmt(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

/** Measures ours against a reference and records the ratio (ours / reference; lower is better). */
export async function compare(
  group: string,
  name: string,
  ours: () => unknown,
  reference: () => unknown,
  referenceName: string,
  target?: number,
  opts?: Parameters<typeof measure>[1],
): Promise<Row> {
  const a = await measure(ours, opts);
  const b = await measure(reference, opts);
  const row: Row = { group, name, ours: a.median, reference: b.median, referenceName };
  if (target !== undefined) row.target = target;
  rows.push(row);
  const ratio = a.median / b.median;
  const verdict = target === undefined ? '' : ratio <= target ? `  ✓ target ≤ ${target}` : `  ✗ target ≤ ${target}`;
  console.log(`${group.padEnd(11)} ${name.padEnd(40)} ours ${fmt(a.median).padStart(10)}  ${referenceName} ${fmt(b.median).padStart(10)}  ratio ${ratio.toFixed(2)}${verdict}`);
  return row;
}

export function allRows(): readonly Row[] {
  return rows;
}
