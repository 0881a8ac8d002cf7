// Shared helpers for the config vector tests: push-record checks and a "vector compressor" that
// replays libzstd's frames recorded in the derived vectors (we have no byte-identical encoder).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  configDecrypt,
  configMessageHash,
  decodeConfigPayload,
  unwrapUserConfig,
  type ConfigCompressor,
  type ConfigPush,
  type ConfigState,
} from '../../src/config/index.js';
import { hex, toHex } from '../helpers/vectors.js';

export interface Layers {
  wrapped_protobuf?: string;
  ciphertext: string;
  padded: string;
  pad_len: number;
  compressed: string | null;
  config_message: string;
  config_message_blake2b: string;
}
export interface PushRecord {
  seqno: number;
  obsolete_hashes: string[];
  layers: Layers;
  push: string;
  storage_message_hash_used: string;
  dump_after_confirm: string;
}

/** Every push record in a vector file (any depth). */
export function pushRecords(o: unknown, out: PushRecord[] = []): PushRecord[] {
  if (o && typeof o === 'object') {
    if ('layers' in o && 'push' in o) out.push(o as PushRecord);
    for (const v of Object.values(o)) pushRecords(v, out);
  }
  return out;
}

/** True when the `zstd` CLI (libzstd) is installed: its level-1 frames equal libsession's. */
export const HAS_ZSTD_CLI = (() => {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * libzstd level 1 through the CLI, on a file (stdin would omit the content size from the header,
 * unlike `ZSTD_compress`; spec/config.md §2.4).
 */
export function libzstdCompress(m: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'cfgz-'));
  try {
    const f = join(dir, 'm');
    writeFileSync(f, m);
    return new Uint8Array(execFileSync('zstd', ['-1', '--no-check', '-q', '-c', f]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The compressor for byte-exact push tests: real libzstd when the CLI exists, else a replay of the
 * frames recorded in `records` (which then only proves everything around compression).
 */
export function vectorCompressor(records: PushRecord[]): ConfigCompressor {
  if (HAS_ZSTD_CLI) return libzstdCompress;
  const known = new Map<string, Uint8Array>();
  for (const r of records) if (r.layers.compressed) known.set(r.layers.config_message, hex(r.layers.compressed).subarray(1));
  return (m) => known.get(toHex(m)) ?? new Uint8Array(m.length + 1);
}

/** The layers of a record are consistent with our decrypt/decode (independent of our encoder). */
export function checkRecordLayers(rec: PushRecord, key: Uint8Array, domain: string): void {
  const l = rec.layers;
  expect(toHex(configMessageHash(hex(l.config_message)))).toBe(l.config_message_blake2b);
  expect(toHex(configDecrypt(hex(l.ciphertext), key, domain))).toBe(l.padded);
  expect(toHex(decodeConfigPayload(hex(l.padded)))).toBe(l.config_message);
  expect(hex(l.padded).subarray(0, l.pad_len).every((b) => b === 0)).toBe(true);
}

/** Our push equals the record byte for byte (the vector compressor stands in for libzstd). */
export async function expectPush(
  push: ConfigPush,
  rec: PushRecord,
  key: Uint8Array,
  domain: string,
  accountSeed?: Uint8Array,
): Promise<void> {
  expect(push.seqno).toBe(rec.seqno);
  const ciphertext = accountSeed ? await unwrapUserConfig(accountSeed, push.data, push.namespace) : push.data;
  expect(toHex(decodeConfigPayload(configDecrypt(ciphertext, key, domain)))).toBe(rec.layers.config_message);
  expect(toHex(ciphertext)).toBe(rec.layers.ciphertext);
  expect(toHex(push.data)).toBe(rec.push);
  expect([...push.obsoleteHashes].sort()).toEqual([...rec.obsolete_hashes].sort());
}

/** Push, compare, confirm with the record's storage hash, compare the dump. */
export async function pushAndConfirm(
  state: ConfigState,
  rec: PushRecord,
  key: Uint8Array,
  domain: string,
  accountSeed?: Uint8Array,
): Promise<ConfigPush> {
  const push = await state.push();
  await expectPush(push, rec, key, domain, accountSeed);
  state.confirmPushed(push.seqno, rec.storage_message_hash_used);
  expect(state.needsPush()).toBe(false);
  expect(toHex(state.dump())).toBe(rec.dump_after_confirm);
  return push;
}
