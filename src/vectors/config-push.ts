/**
 * Shared checks for the push records of the derived config vectors (test-vectors/config/derived-*):
 * every layer of a record (spec/config.md §2.1–§2.5) and "our push equals the record, byte for
 * byte", as test/config/helpers.ts asserts.
 * @module
 */
import {
  configDecrypt,
  configEncrypt,
  configMessageHash,
  decodeConfigPayload,
  identityFromSeed,
  unwrapUserConfig,
  type ConfigCompressor,
  type ConfigPush,
  isSessionSdkError,
  type ConfigState,
} from '../index.js';
import { canonicalJson, expectEqual, hex, list, toHex, VectorMismatch } from './check.js';

/** Runs one step whose SDK error should name the step (a rejected record, not the scenario). */
export async function labelled<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isSessionSdkError(e)) throw new VectorMismatch(`${what}: SDK threw ${e.code}: ${e.message}`);
    throw e;
  }
}

/** Hex of `b`, or `(none)` when the SDK returned nothing (so the comparison fails, not crashes). */
export function hexOf(b: Uint8Array | undefined): string {
  return b === undefined ? '(none)' : toHex(b);
}

/**
 * Compares `got` and `want` as JSON values (lists in order, objects by key, `null`); `want` must
 * be in the vector.
 */
export function expectJson(what: string, got: unknown, want: unknown): void {
  if (want === undefined) throw new VectorMismatch(`${what}: expected value missing from the vector`);
  expectEqual(what, canonicalJson(got), canonicalJson(want));
}

/** Every push record (an object with `layers` and `push`) anywhere in `doc`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function pushRecords(doc: unknown, out: any[] = []): any[] {
  if (doc !== null && typeof doc === 'object') {
    if ('layers' in doc && 'push' in doc) out.push(doc);
    for (const v of Object.values(doc)) pushRecords(v, out);
  }
  return out;
}

/**
 * A compressor that replays the libzstd level-1 frames recorded in `doc`'s push records. The SDK
 * ships no zstd encoder (compression is injected, spec/config.md §2.4) and zstd's output is not
 * canonical, so byte-exact pushes need libzstd's own frames; a message the records do not hold
 * gets an incompressible answer, i.e. is pushed uncompressed and then mismatches the record.
 * The other direction (inflating each recorded frame) is checked by {@link checkLayers}.
 */
export function recordedCompressor(doc: unknown): ConfigCompressor {
  const known = new Map<string, Uint8Array>();
  for (const r of pushRecords(doc)) {
    const l = r.layers;
    if (typeof l?.compressed === 'string' && typeof l?.config_message === 'string') known.set(l.config_message, hex(l.compressed).subarray(1));
  }
  return (m) => known.get(toHex(m)) ?? new Uint8Array(m.length + 1);
}

/** Where the leading zero padding of a payload ends. */
function padLength(padded: Uint8Array): number {
  let i = 0;
  while (i < padded.length && padded[i] === 0) i++;
  return i;
}

/** How a record is keyed: the config key and domain, plus the account seed of user configs. */
export interface RecordKeys {
  key: Uint8Array;
  domain: string;
  namespace: number;
  /** User configs only: the push is protobuf-wrapped for the account (spec/config.md §2.5). */
  accountSeed?: Uint8Array;
}

/**
 * Checks each layer of a record on its own, independently of our push: hash, decrypt, encrypt,
 * padding length, `z`-compressed or plain body, and (user configs) the protobuf wrapping.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function checkLayers(label: string, rec: any, k: RecordKeys): Promise<void> {
  const l = rec?.layers;
  const padded = hex(l?.padded);
  expectEqual(`${label} config_message_blake2b`, toHex(configMessageHash(hex(l.config_message))), l.config_message_blake2b);
  const plain = await labelled(`${label} decrypt(ciphertext)`, () => configDecrypt(hex(l.ciphertext), k.key, k.domain));
  expectEqual(`${label} decrypt(ciphertext)`, toHex(plain), l.padded);
  expectEqual(`${label} encrypt(padded)`, toHex(configEncrypt(padded, k.key, k.domain)), l.ciphertext);
  expectEqual(`${label} pad_len`, padLength(padded), l.pad_len);
  // The body after the zeros is the message itself or, when that was shorter, `z`+zstd.
  const body = toHex(padded.subarray(padLength(padded)));
  expectJson(`${label} compressed`, body === l.config_message ? null : body, l.compressed);
  expectEqual(`${label} decoded payload`, toHex(await labelled(`${label} decoded payload`, () => decodeConfigPayload(padded))), l.config_message);
  if (k.accountSeed) {
    expectEqual(`${label} wrapped_protobuf`, l.wrapped_protobuf, rec.push);
    const seed = k.accountSeed;
    const unwrapped = await labelled(`${label} unwrap(push)`, () => unwrapUserConfig(seed, hex(rec.push), k.namespace));
    expectEqual(`${label} unwrapped push`, toHex(unwrapped), l.ciphertext);
  } else {
    expectEqual(`${label} push (group configs push the ciphertext)`, rec.push, l.ciphertext);
  }
}

/**
 * Pushes `state`, compares the push with the record (seqno, bytes, obsolete hashes), confirms it
 * under the record's storage hash and compares the dump.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function pushAndConfirm(label: string, state: ConfigState, rec: any, k: RecordKeys): Promise<ConfigPush> {
  await checkLayers(label, rec, k);
  expectEqual(`${label} namespace`, state.namespace, k.namespace);
  const push = await state.push();
  expectEqual(`${label} seqno`, push.seqno, rec.seqno);
  expectEqual(`${label} push`, toHex(push.data), rec.push);
  expectJson(`${label} obsolete_hashes`, [...push.obsoleteHashes].sort(), [...list(rec, 'obsolete_hashes')].sort());
  state.confirmPushed(push.seqno, rec.storage_message_hash_used);
  expectEqual(`${label} needs push after confirm`, state.needsPush(), false);
  expectEqual(`${label} dump_after_confirm`, toHex(state.dump()), rec.dump_after_confirm);
  return push;
}

/** The account of a user-config file: its keys, checked against the seed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function accountOf(account: any): { seed: Uint8Array; sk: Uint8Array } {
  const seed = hex(account?.seed32);
  const id = identityFromSeed(seed);
  expectEqual('account ed25519_pk', toHex(id.ed25519PublicKey), account.ed25519_pk);
  expectEqual('account ed25519_sk', toHex(id.ed25519SecretKey), account.ed25519_sk);
  if (account.x25519_pk !== undefined) expectEqual('account x25519_pk', toHex(id.x25519PublicKey), account.x25519_pk);
  // User configs are encrypted under the account seed itself (spec/config.md §2.2).
  expectEqual('account key_base', toHex(seed), account.key_base);
  return { seed, sk: id.ed25519SecretKey };
}
