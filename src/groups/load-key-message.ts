/**
 * Loading keys messages from namespace 12 (spec/groups.md §2.6), for admins and members alike.
 * @module
 */
import { getCryptoProvider } from '../crypto/provider.js';
import { SessionSdkError } from '../errors.js';
import { bdecode, isBBytes, isBDict, isBInt, isBList } from '../util/bencode.js';
import { wipe } from '../util/bytes.js';
import type { GroupKeyInfo, GroupKeys } from './group-keys.js';
import { keyringInternals } from './keyring-internal.js';
import { decodeKeysMessage } from './keys-message.js';
import { aeadDecrypt, aeadTrialDecrypt } from './primitives.js';
import { GROUP_KEY_LABELS } from './rekey.js';

function invalid(msg: string): never {
  throw new SessionSdkError('CONFIG_INVALID', `keys message: ${msg}`);
}

/** Parses the decrypted `[{g,k,t}…]` list of a supplement. */
function parseSupplementKeys(plain: Uint8Array): GroupKeyInfo[] {
  let list;
  try {
    list = bdecode(plain);
  } catch {
    invalid('supplement key list is not valid bencode');
  }
  if (!isBList(list)) invalid('supplement key list is not a list');
  return list.map((d) => {
    if (!isBDict(d)) invalid('supplement key entry is not a dict');
    const g = d.get('g');
    const k = d.get('k');
    const t = d.get('t');
    if (!isBInt(g) || typeof g === 'bigint' || g < 0) invalid('supplement key has no valid generation (g)');
    if (!isBBytes(k) || k.length !== 32) invalid('supplement key (k) must be 32 bytes');
    if (!isBInt(t) || typeof t === 'bigint') invalid('supplement key has no valid timestamp (t)');
    return { generation: g, key: k, timestampMs: t };
  });
}

/**
 * Options for {@link loadKeyMessage}.
 *
 * @example
 * ```ts
 * const opts: LoadKeyMessageOptions = { hash: m.hash };
 * await loadKeyMessage(keys, m.data, m.timestampMs, opts);
 * ```
 */
export interface LoadKeyMessageOptions {
  /** The swarm message hash, tracked in {@link GroupKeys.activeHashes} while its key is live. */
  hash?: string;
}

/**
 * Loads one keys message (full or supplemental) fetched from namespace 12. `timestampMs` is the
 * swarm storage timestamp; it becomes the key's timestamp and drives 60-day expiry. Returns true
 * when the message yielded a key for us. The group signature is checked first; anything unsigned,
 * badly signed (`BAD_SIGNATURE`), unpadded or malformed (`CONFIG_INVALID`, `INVALID_ENCODING`) is
 * rejected and leaves the keyring unchanged. Admins recover the key from `K`; members trial-decrypt
 * `k` (or `+`). Process namespace 12 before 13/14/11.
 *
 * @example
 * ```ts
 * for (const m of await retrieve(groupId, 12)) await loadKeyMessage(keys, m.data, m.timestamp, { hash: m.hash });
 * ```
 */
export async function loadKeyMessage(
  keys: GroupKeys,
  message: Uint8Array,
  timestampMs: number,
  opts: LoadKeyMessageOptions = {},
): Promise<boolean> {
  const ki = keyringInternals(keys, 'loadKeyMessage');
  ki.assertAlive();
  if (!Number.isSafeInteger(timestampMs)) throw new SessionSdkError('INVALID_INPUT', 'timestampMs must be an integer (ms)');
  const m = decodeKeysMessage(message);
  const provider = getCryptoProvider();
  if (!(await provider.ed25519Verify(m.signature, m.signedData, keys.groupEd25519PublicKey))) {
    throw new SessionSdkError('BAD_SIGNATURE', 'keys message signature does not verify with the group key');
  }

  const found: GroupKeyInfo[] = [];
  if (m.kind === 'full' && keys.isAdmin) {
    const wrap = ki.seedHash(GROUP_KEY_LABELS.admin);
    const key = aeadDecrypt(wrap, m.nonce, m.adminKey);
    wipe(wrap);
    // Signed by the group yet undecryptable by the group: broken, so reject like libsession.
    if (!key || key.length !== 32) invalid('admin key (K) does not decrypt');
    found.push({ generation: m.generation, key, timestampMs });
  } else if (!keys.isAdmin) {
    // (Admins skip supplements: the K of each full message already gives them every key.)
    const plain = aeadTrialDecrypt(await ki.memberWrapKey(), m.nonce, m.kind === 'full' ? m.memberKeys : m.entries);
    if (plain && m.kind === 'full') found.push({ generation: m.generation, key: plain, timestampMs });
    else if (plain) {
      try {
        found.push(...parseSupplementKeys(plain));
      } finally {
        wipe(plain);
      }
    }
  }

  if (found.length === 0) {
    ki.noteMessage(m.generation, opts.hash);
    return false;
  }
  try {
    ki.assertAlive(); // destroy() may have run while we awaited
    ki.confirmPending(found[0]!);
    for (const k of found) ki.insertKey(k, opts.hash);
  } catch (e) {
    for (const k of found) wipe(k.key);
    throw e;
  }
  return true;
}
