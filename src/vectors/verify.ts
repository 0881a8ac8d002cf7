/**
 * `session-sdk vectors verify [dir]`: runs a directory of test vectors laid out like this
 * package's test-vectors/ (`<area>/<file>.json`, same schemas) through the SDK's public API and
 * reports, per area, how many vectors ran, passed, failed and were skipped (and why).
 *
 * Node-only (it reads a directory): imported by src/cli.ts alone, never by a package entry.
 *
 * ```ts
 * const report = await verifyVectorDirectory('test-vectors');
 * process.stdout.write(formatVectorReport(report));
 * process.exitCode = report.failed === 0 ? 0 : 1;
 * ```
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SessionSdkError } from '../index.js';
import { FileRecorder, NO_VERIFIER, type FileReport, type FileVerifier, type VerifyContext } from './check.js';
import { CONFIG_VERIFIERS } from './config.js';
import { GROUPS_VERIFIERS } from './groups.js';
import { IDENTITY_VERIFIERS } from './identity.js';
import { ONION_VERIFIERS } from './onion.js';
import { WYCHEPROOF_VERIFIERS } from './wycheproof.js';

export type { FileReport } from './check.js';

/** Verifiers by area (directory name), then by file name. */
const VERIFIERS: Record<string, Record<string, FileVerifier>> = {
  'identity-envelope': IDENTITY_VERIFIERS,
  onion: ONION_VERIFIERS,
  groups: GROUPS_VERIFIERS,
  config: CONFIG_VERIFIERS,
  wycheproof: WYCHEPROOF_VERIFIERS,
};

/** The outcome of a whole directory. */
export interface VectorReport {
  dir: string;
  /** One entry per area directory, in name order, each with its `.json` files in name order. */
  modules: { name: string; files: FileReport[] }[];
  run: number;
  passed: number;
  failed: number;
  skipped: number;
}

/** How many vectors an unverified file holds: list entries, counting nested cases/tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function countVectors(doc: any): number {
  let n = 0;
  // A file with no list at all (a single scenario) counts as one vector.
  for (const v of Object.values(doc ?? {})) {
    if (!Array.isArray(v)) continue;
    for (const item of v) {
      const inner = item?.cases ?? item?.tests;
      n += Array.isArray(inner) ? inner.length : 1;
    }
  }
  return Math.max(n, 1);
}

function parseJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

async function verifyFile(dir: string, area: string, file: string): Promise<FileReport> {
  const rec = new FileRecorder(`${area}/${file}`);
  let doc: unknown;
  try {
    doc = parseJson(join(dir, area, file));
  } catch (e) {
    rec.report.run++;
    rec.report.failed++;
    rec.report.failures.push(`not readable JSON (${e instanceof Error ? e.message : String(e)})`);
    return rec.report;
  }
  const verifier = VERIFIERS[area]?.[file];
  if (!verifier) {
    rec.skip(countVectors(doc), NO_VERIFIER);
    return rec.report;
  }
  const ctx: VerifyContext = { loadSibling: (rel) => parseJson(join(dir, rel)) };
  try {
    await verifier(doc, rec, ctx);
  } catch (e) {
    // The file's structure is not the schema this verifier knows: that is a failure, not a skip.
    rec.report.run++;
    rec.report.failed++;
    rec.report.failures.push(`malformed file (${e instanceof Error ? e.message : String(e)})`);
  }
  return rec.report;
}

/**
 * Verifies every `<area>/*.json` file under `dir`. Files and areas without a verifier are
 * counted as skipped; a vector whose expected value the SDK does not reproduce is failed.
 *
 * @example
 * ```ts
 * const r = await verifyVectorDirectory('test-vectors');
 * if (r.failed > 0) console.error(formatVectorReport(r));
 * ```
 */
export async function verifyVectorDirectory(dir: string): Promise<VectorReport> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new SessionSdkError('INVALID_INPUT', `no vector directory at ${dir} (pass a directory of <area>/<file>.json vector files, e.g. test-vectors/ of a session-sdk checkout)`);
  const report: VectorReport = { dir, modules: [], run: 0, passed: 0, failed: 0, skipped: 0 };
  const areas = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const area of areas) {
    const files = readdirSync(join(dir, area), { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => e.name)
      .sort();
    const mod = { name: area, files: [] as FileReport[] };
    for (const f of files) {
      const r = await verifyFile(dir, area, f);
      mod.files.push(r);
      report.run += r.run;
      report.passed += r.passed;
      report.failed += r.failed;
      report.skipped += r.skipped;
    }
    if (mod.files.length > 0) report.modules.push(mod);
  }
  return report;
}

/**
 * Renders a {@link VectorReport} as one table per area (file, run, passed, failed, skipped with
 * reasons), the failed vectors with their first mismatch, and a total line.
 *
 * @example
 * ```ts
 * process.stdout.write(formatVectorReport(await verifyVectorDirectory('test-vectors')));
 * ```
 */
export function formatVectorReport(report: VectorReport): string {
  const width = Math.max(4, ...report.modules.flatMap((m) => m.files.map((f) => f.file.length - m.name.length - 1)));
  const num = (n: number | string, w: number): string => String(n).padStart(w);
  const lines: string[] = [`Vectors in ${report.dir}`, ''];
  for (const m of report.modules) {
    lines.push(`${m.name}`);
    lines.push(`  ${'file'.padEnd(width)}  ${num('run', 5)}  ${num('passed', 6)}  ${num('failed', 6)}  ${num('skipped', 7)}  skip reason`);
    for (const f of m.files) {
      const name = f.file.slice(m.name.length + 1);
      const reasons = f.skipReasons
        .map((r) => (f.skipReasons.length === 1 ? r.reason : `${r.reason} (${r.count})`) + (r.sections.length > 0 ? `: ${r.sections.join(', ')}` : ''))
        .join('; ');
      lines.push(`  ${name.padEnd(width)}  ${num(f.run, 5)}  ${num(f.passed, 6)}  ${num(f.failed, 6)}  ${num(f.skipped, 7)}  ${reasons}`.trimEnd());
    }
    for (const f of m.files) for (const msg of f.failures) lines.push(`  FAILED ${f.file} ${msg}`);
    lines.push('');
  }
  lines.push(`Total: ${report.run} run, ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return lines.join('\n') + '\n';
}
