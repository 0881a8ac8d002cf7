/**
 * Building blocks of `session-sdk vectors verify`: how one vector is checked and how a file's
 * outcome is recorded. Node-only tooling (imported by src/cli.ts alone, never by a package entry).
 * @module
 */
import { isSessionSdkError } from '../index.js';

/** The outcome of one vector file. `skipped` groups skipped vectors by reason. */
export interface FileReport {
  /** Path relative to the vector directory, `area/file.json`. */
  file: string;
  run: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Why vectors were skipped: each reason with how many vectors and which sections of the file. */
  skipReasons: { reason: string; count: number; sections: string[] }[];
  /** One line per failed vector: its label and the first mismatch. */
  failures: string[];
}

/** A mismatch between what the SDK computed and what the vector expects. */
export class VectorMismatch extends Error {}

/** Records the vectors of one file as they are run. */
export class FileRecorder {
  readonly report: FileReport;

  constructor(file: string) {
    this.report = { file, run: 0, passed: 0, failed: 0, skipped: 0, skipReasons: [], failures: [] };
  }

  /**
   * Runs one vector. Any throw fails it: a {@link VectorMismatch} names the differing field, a
   * SessionSdkError means the SDK rejected input the vector says is valid, anything else means
   * the vector itself is malformed (a missing or non-hex field) — all are failures, never skips,
   * so a damaged vector file cannot pass by omission.
   */
  async vector(label: string, body: () => void | Promise<void>): Promise<void> {
    this.report.run++;
    try {
      await body();
      this.report.passed++;
    } catch (e) {
      this.report.failed++;
      const why =
        e instanceof VectorMismatch
          ? e.message
          : isSessionSdkError(e)
            ? `SDK threw ${e.code}: ${e.message}`
            : `malformed vector: ${e instanceof Error ? e.message : String(e)}`;
      this.report.failures.push(`${label}: ${why}`);
    }
  }

  /**
   * Counts `count` vectors as skipped for `reason`, optionally naming the file `section` they
   * are in (merged with earlier skips of the same reason).
   */
  skip(count: number, reason: string, section?: string): void {
    if (count <= 0) return;
    this.report.skipped += count;
    let r = this.report.skipReasons.find((x) => x.reason === reason);
    if (!r) this.report.skipReasons.push((r = { reason, count: 0, sections: [] }));
    r.count += count;
    if (section !== undefined && !r.sections.includes(section)) r.sections.push(section);
  }
}

/** Throws a {@link VectorMismatch} unless `got === want`; `want` must be present in the vector. */
export function expectEqual(what: string, got: unknown, want: unknown): void {
  if (want === undefined || want === null) throw new VectorMismatch(`${what}: expected value missing from the vector`);
  if (got !== want) throw new VectorMismatch(`${what}: got ${short(got)}, vector expects ${short(want)}`);
}

/** Throws unless `fn` throws (or rejects with) a SessionSdkError carrying `code`. */
export async function expectSdkError(what: string, code: string, fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (isSessionSdkError(e) && e.code === code) return;
    throw new VectorMismatch(`${what}: expected ${code}, got ${isSessionSdkError(e) ? e.code : String(e)}`);
  }
  throw new VectorMismatch(`${what}: expected ${code}, but it was accepted`);
}

function short(v: unknown): string {
  const s = typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Lowercase hex of `b`. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Strict hex decoding of a vector field: a non-string or odd/non-hex text is a malformed vector. */
export function hex(s: unknown): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/u.test(s)) {
    throw new Error(`expected a hex string, got ${short(s)}`);
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Base64 of `b` and strict decoding of a base64 vector field, via the platform's `btoa`/`atob`
 * rather than the SDK's own codec, so a verifier never checks the SDK against itself.
 */
export const toBase64 = (b: Uint8Array): string => btoa(String.fromCharCode(...b));

/** Decodes a base64 vector field; a non-string or non-base64 text is a malformed vector. */
export function fromBase64(s: unknown): Uint8Array {
  if (typeof s !== 'string') throw new Error('expected a base64 string');
  return Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
}

/** JSON text with object keys sorted at every level, to compare parsed objects by value. */
export function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x !== null && typeof x === 'object'
        ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])]))
        : x;
  return JSON.stringify(sort(v));
}

/** A list-valued field of a vector document; anything else is a malformed file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function list(doc: any, key: string): any[] {
  const v = doc?.[key];
  if (!Array.isArray(v)) throw new Error(`"${key}" is not a list`);
  return v;
}

/** The entry of `doc.vectors` with `id` (or `name`) equal to `key`, if any. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function byId(doc: any, key: string): any {
  return list(doc, 'vectors').find((v) => v?.id === key || v?.name === key);
}

/** Verifies one parsed vector file into `rec`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FileVerifier = (doc: any, rec: FileRecorder, ctx: VerifyContext) => Promise<void>;

/** What a verifier may read besides its own file: sibling files of the same area. */
export interface VerifyContext {
  /** Parses `area/file.json` from the directory under test (throws if missing or not JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  loadSibling(rel: string): any;
}

/** Name of the reason used for every vector no verifier covers yet. */
export const NO_VERIFIER = 'no verifier yet';

/** Skips every top-level list of `doc` not in `handled` (files whose sections are top-level lists). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function skipOtherSections(doc: any, handled: readonly string[], rec: FileRecorder): void {
  for (const [k, v] of Object.entries(doc ?? {})) {
    if (Array.isArray(v) && !handled.includes(k)) rec.skip(v.length, NO_VERIFIER, k);
  }
}

/** Skips every entry of `doc.vectors` whose id/name is not in `handled`, counting its cases. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function skipOtherVectors(doc: any, handled: readonly string[], rec: FileRecorder): void {
  for (const v of list(doc, 'vectors')) {
    const key = v?.id ?? v?.name;
    if (handled.includes(key)) continue;
    rec.skip(Array.isArray(v?.cases) ? v.cases.length : 1, NO_VERIFIER, String(key));
  }
}
