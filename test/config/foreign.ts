// Builds config data "written by another client" and delivers it through the normal receive path
// (encrypt → merge), so readers are tested on what a newer, older or buggy client may store:
// out-of-range enums, wrong value types, malformed Session-ID keys (spec/config.md §3).
import { expect } from 'vitest';
import {
  ConfigSet,
  configEncrypt,
  createConfigMessage,
  encodeConfigPayload,
  serializeConfigMessage,
  type ConfigDict,
  type ConfigSigner,
  type ConfigState,
} from '../../src/config/index.js';
import { bytesKey } from '../../src/util/bencode.js';
import { fromHex, utf8 } from '../../src/util/bytes.js';

/** A plain description of config data: text → bytes, number → int, object/Map → dict. */
export type Plain = string | number | bigint | Uint8Array | ConfigSet | Map<string, Plain> | { [key: string]: Plain };

/** `Plain` → the config tree. */
export function cdict(o: Map<string, Plain> | { [key: string]: Plain }): ConfigDict {
  const out: ConfigDict = new Map();
  for (const [k, v] of o instanceof Map ? o : Object.entries(o)) {
    if (typeof v === 'string') out.set(k, utf8(v));
    else if (typeof v === 'number') out.set(k, BigInt(v));
    else if (typeof v === 'bigint' || v instanceof Uint8Array || v instanceof ConfigSet) out.set(k, v);
    else out.set(k, cdict(v));
  }
  return out;
}

/** The binary dict key of a hex ID (33 raw bytes for Session IDs). */
export const idk = (hex: string): string => bytesKey(fromHex(hex));

/** A Map literal, for dicts whose keys are binary. */
export const bmap = (entries: [string, Plain][]): Map<string, Plain> => new Map(entries);

/** A serialized seqno-`seqno` message carrying `data` (signed when `signer` is given). */
export function foreignMessage(data: ConfigDict, opts: { seqno?: number; signer?: ConfigSigner } = {}): Uint8Array {
  const m = createConfigMessage({ seqno: opts.seqno ?? 1 });
  for (const [k, v] of data) m.data.set(k, v);
  return serializeConfigMessage(m, opts.signer ? { signer: opts.signer } : {});
}

/** Encrypts `message` for `state` under `key` and merges it; the message must be accepted. */
export async function deliver(state: ConfigState, message: Uint8Array, key: Uint8Array, hash = 'foreign'): Promise<void> {
  const data = configEncrypt(encodeConfigPayload(message), key, state.type.domain);
  expect(await state.merge([{ hash, data }])).toEqual([hash]);
}

/** Merges `data` into `state` as if another device of the account (key = account seed) pushed it. */
export async function receive(state: ConfigState, data: ConfigDict, key: Uint8Array, opts: { seqno?: number; signer?: ConfigSigner } = {}): Promise<void> {
  await deliver(state, foreignMessage(data, opts), key);
}
