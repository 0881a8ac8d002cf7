// `npm run bench`: runs every bench/*.bench.ts (or those whose name contains argv[2]) in this
// process and prints ours / reference ratios. Benchmarks are measurements, not tests.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allRows } from './harness.js';

const dir = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
console.log(`session-sdk benchmarks — Node ${process.version}, ${files.length} suites (median of 7 runs; ratio = ours / reference)\n`);
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run: () => Promise<void> };
  await mod.run();
}
const missed = allRows().filter((r) => r.target !== undefined && r.ours / r.reference > r.target);
console.log(`\n${allRows().length} comparisons, ${missed.length} above target`);
