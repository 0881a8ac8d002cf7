// The config module's exported limits and type guards, each tied to the behaviour it names and to
// its source: libsession's text limits (spec/config.md §3; include/session/config/groups/info.hpp
// NAME_MAX_LENGTH / DESCRIPTION_MAX_LENGTH, profile_pic::MAX_URL_LENGTH), the lag window
// (upstream vector m15), the `z` payload bound, the SharedConfigMessage kinds of the protobuf
// wrapping (spec/config.md §2.5) and the value-tree predicates on an upstream message.
import { describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import {
  CONFIG_MAX_DECOMPRESSED_SIZE,
  CONFIG_NAME_MAX_LENGTH,
  ConfigSet,
  ContactsConfig,
  createConfigMessage,
  decodeConfigPayload,
  DEFAULT_CONFIG_LAG,
  GROUP_DESCRIPTION_MAX_LENGTH,
  GroupInfoConfig,
  incrementConfigMessage,
  isConfigDict,
  isConfigScalar,
  isConfigSet,
  parseConfigMessage,
  PROFILE_PIC_MAX_URL_LENGTH,
  serializeConfigMessage,
  SHARED_CONFIG_KIND,
  unwrapUserConfig,
  UserProfileConfig,
  wrapUserConfig,
  type ConfigValue,
} from '../../src/config/index.js';
import { isSessionSdkError } from '../../src/errors.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { StorageNamespace } from '../../src/onion/storage.js';
import { concatBytes } from '../../src/util/bytes.js';
import { zstdCompress } from '../../src/util/zstd-compress.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isSessionSdkError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a SessionSdkError, nothing was thrown');
}
async function codeOfAsync(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isSessionSdkError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a SessionSdkError, nothing was thrown');
}

const bytesOf = (s: string) => new TextEncoder().encode(s).length;
const alice = identityFromSeed(new Uint8Array(32).fill(0x31));
const bobId = identityFromSeed(new Uint8Array(32).fill(0x32)).sessionId;
const groupSeed = new Uint8Array(32).fill(0x33);
const adminInfo = () => new GroupInfoConfig({ groupEd25519PublicKey: ed25519KeyPairFromSeed(groupSeed).publicKey, groupEd25519SecretKey: groupSeed, keys: [new Uint8Array(32).fill(1)] });

/** Texts exactly at the byte limit and one byte over it, in 1-, 2-, 3- and 4-byte UTF-8. */
function atAndOver(max: number): { at: string[]; over: string[] } {
  const at = ['a'.repeat(max), 'é'.repeat(max / 2), '€'.repeat(Math.floor(max / 3)) + 'a'.repeat(max % 3), '😀'.repeat(max / 4)];
  const over = at.map((s) => s + 'a').concat(['é'.repeat(max / 2 - 1) + '€', '😀'.repeat(max / 4 - 1) + 'a'.repeat(4) + 'b']);
  for (const s of at) expect(bytesOf(s)).toBe(max);
  for (const s of over) expect(bytesOf(s)).toBe(max + 1);
  return { at, over };
}

describe('CONFIG_NAME_MAX_LENGTH: 100 UTF-8 bytes, longer is INVALID_INPUT (libsession set_name throws)', () => {
  const { at, over } = atAndOver(CONFIG_NAME_MAX_LENGTH);

  it('is 100, counted in bytes not characters', () => {
    expect(CONFIG_NAME_MAX_LENGTH).toBe(100);
    expect(over).toContain('😀'.repeat(24) + 'aaaab'); // 29 characters, 101 bytes
  });

  it('UserProfile display name: stored at the limit; over it refused and nothing changes', () => {
    const p = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    for (const name of at) {
      p.setName(name);
      expect(p.getName()).toBe(name);
    }
    const seqno = p.seqno;
    for (const name of over) expect(codeOf(() => p.setName(name))).toBe('INVALID_INPUT');
    expect(p.getName()).toBe(at[at.length - 1]);
    expect(p.seqno).toBe(seqno);
  });

  it('Contacts name and nickname, and the group name in GroupInfo', () => {
    const c = new ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    const info = adminInfo();
    for (const s of at) {
      c.set({ ...c.getOrConstruct(bobId), name: s, nickname: s });
      expect(c.get(bobId)?.name).toBe(s);
      expect(c.get(bobId)?.nickname).toBe(s);
      info.setName(s);
      expect(info.getName()).toBe(s);
    }
    for (const s of over) {
      expect(codeOf(() => c.set({ ...c.getOrConstruct(bobId), name: s }))).toBe('INVALID_INPUT');
      expect(codeOf(() => c.set({ ...c.getOrConstruct(bobId), nickname: s }))).toBe('INVALID_INPUT');
      expect(codeOf(() => info.setName(s))).toBe('INVALID_INPUT');
    }
    expect(c.get(bobId)?.name).toBe(at[at.length - 1]);
  });
});

describe('GROUP_DESCRIPTION_MAX_LENGTH: 2000 UTF-8 bytes (groups::Info::DESCRIPTION_MAX_LENGTH)', () => {
  it('a description of exactly 2000 bytes is stored; 2001 is INVALID_INPUT and keeps the old one', () => {
    expect(GROUP_DESCRIPTION_MAX_LENGTH).toBe(2000);
    const { at, over } = atAndOver(GROUP_DESCRIPTION_MAX_LENGTH);
    const info = adminInfo();
    for (const d of at) {
      info.setDescription(d);
      expect(info.getDescription()).toBe(d);
    }
    for (const d of over) expect(codeOf(() => info.setDescription(d))).toBe('INVALID_INPUT');
    expect(info.getDescription()).toBe(at[at.length - 1]);
    // The name limit does not apply to the description, nor the description's to the name.
    expect(codeOf(() => info.setName('a'.repeat(GROUP_DESCRIPTION_MAX_LENGTH)))).toBe('INVALID_INPUT');
  });
});

describe('PROFILE_PIC_MAX_URL_LENGTH: 223 bytes (profile_pic::MAX_URL_LENGTH, a 224-byte C field with its NUL)', () => {
  const key = new Uint8Array(32).fill(7);

  it('a 223-byte URL is stored, a 224-byte one is INVALID_INPUT, in the profile, a contact and a group', () => {
    expect(PROFILE_PIC_MAX_URL_LENGTH).toBe(223);
    const url = 'http://example.org/' + 'x'.repeat(PROFILE_PIC_MAX_URL_LENGTH - 19);
    expect(bytesOf(url)).toBe(223);
    const p = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    const c = new ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    const info = adminInfo();
    p.setProfilePicture({ url, key });
    c.set({ ...c.getOrConstruct(bobId), profilePicture: { url, key } });
    info.setProfilePicture({ url, key });
    expect(p.getProfilePicture()?.url).toBe(url);
    expect(c.get(bobId)?.profilePicture?.url).toBe(url);
    expect(info.getProfilePicture()?.url).toBe(url);
    for (const long of [url + 'y', 'http://example.org/' + 'é'.repeat(102) + 'a']) {
      expect(bytesOf(long)).toBe(224);
      expect(codeOf(() => p.setProfilePicture({ url: long, key }))).toBe('INVALID_INPUT');
      expect(codeOf(() => c.set({ ...c.getOrConstruct(bobId), profilePicture: { url: long, key } }))).toBe('INVALID_INPUT');
      expect(codeOf(() => info.setProfilePicture({ url: long, key }))).toBe('INVALID_INPUT');
    }
    expect(p.getProfilePicture()?.url).toBe(url);
  });
});

describe('DEFAULT_CONFIG_LAG: the lag window libsession uses for every config (DEFAULT_DIFF_LAGS = 5)', () => {
  const vectors = loadVectors('config/config-message.json').vectors;
  const m15v = vectors.find((x: { name: string }) => x.name === 'm15');

  it('is the default of new and parsed messages', () => {
    expect(DEFAULT_CONFIG_LAG).toBe(5);
    expect(createConfigMessage().lag).toBe(DEFAULT_CONFIG_LAG);
    expect(parseConfigMessage(hex(m15v.serialized)).lag).toBe(DEFAULT_CONFIG_LAG);
  });

  it('upstream m15 carries lag − 1 diffs (11..14) and re-serializes byte-identically only with that lag', () => {
    expect(m15v.origin).toBe('upstream');
    const m15 = parseConfigMessage(hex(m15v.serialized));
    expect(m15.seqno).toBe(15);
    expect(m15.lagged.map((l) => l.seqno)).toEqual([11, 12, 13, 14]);
    expect(m15.lagged).toHaveLength(DEFAULT_CONFIG_LAG - 1);
    expect(toHex(serializeConfigMessage(m15))).toBe(m15v.serialized);
    // A narrower window drops diff 11 on the way out: not libsession's bytes any more.
    const narrow = parseConfigMessage(hex(m15v.serialized), { lag: DEFAULT_CONFIG_LAG - 1 });
    expect(toHex(serializeConfigMessage(narrow))).not.toBe(m15v.serialized);
    // The next version slides the window: 12..15.
    const m16 = incrementConfigMessage(m15);
    expect(parseConfigMessage(serializeConfigMessage(m16)).lagged.map((l) => l.seqno)).toEqual([12, 13, 14, 15]);
  });

  it('a lag that is not a positive integer is INVALID_INPUT', () => {
    for (const lag of [0, -1, 1.5, Number.NaN]) {
      expect(codeOf(() => createConfigMessage({ lag }))).toBe('INVALID_INPUT');
      expect(codeOf(() => parseConfigMessage(hex(m15v.serialized), { lag }))).toBe('INVALID_INPUT');
    }
  });
});

describe('CONFIG_MAX_DECOMPRESSED_SIZE: the bound on what a received `z` payload may inflate to', () => {
  // libsession's merge inflates with no limit (base.cpp passes no max_size to zstd_decompress):
  // this bound is session-sdk's own hardening against a decompression bomb in a signed config.
  const half = zstdCompress(new Uint8Array(CONFIG_MAX_DECOMPRESSED_SIZE / 2).fill(0x61));
  const oneByte = zstdCompress(Uint8Array.of(0x61));

  it('two frames inflating to exactly 8 MiB decode; one more byte is INVALID_ENCODING', () => {
    expect(CONFIG_MAX_DECOMPRESSED_SIZE).toBe(8 * 1024 * 1024);
    const ok = decodeConfigPayload(concatBytes(Uint8Array.of(0x7a), half, half));
    expect(ok.length).toBe(CONFIG_MAX_DECOMPRESSED_SIZE);
    expect(codeOf(() => decodeConfigPayload(concatBytes(Uint8Array.of(0x7a), half, half, oneByte)))).toBe('INVALID_ENCODING');
  });

  it('a single frame declaring more than the bound is refused from its header, before inflating', () => {
    // Frame header: magic, descriptor 0xa0 (single segment, 4-byte content size), size = 8 MiB + 1.
    const declared = CONFIG_MAX_DECOMPRESSED_SIZE + 1;
    const header = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0xa0, declared & 0xff, (declared >> 8) & 0xff, (declared >> 16) & 0xff, declared >>> 24);
    const rleBlock = Uint8Array.of(0x03, 0x00, 0x00, 0x61); // last block, RLE, size 0 (never reached)
    expect(codeOf(() => decodeConfigPayload(concatBytes(Uint8Array.of(0x7a), header, rleBlock)))).toBe('INVALID_ENCODING');
  });
});

describe('SHARED_CONFIG_KIND: SharedConfigMessage.kind per user-config namespace (spec/config.md §2.5)', () => {
  const userNamespaces = [StorageNamespace.USER_PROFILE, StorageNamespace.CONTACTS, StorageNamespace.CONVO_INFO_VOLATILE, StorageNamespace.USER_GROUPS];

  it('UserProfile 1, Contacts 2, ConvoInfoVolatile 3, UserGroups 4, and nothing for other namespaces', () => {
    expect(SHARED_CONFIG_KIND).toEqual({ [StorageNamespace.USER_PROFILE]: 1, [StorageNamespace.CONTACTS]: 2, [StorageNamespace.CONVO_INFO_VOLATILE]: 3, [StorageNamespace.USER_GROUPS]: 4 });
    for (const ns of [StorageNamespace.DEFAULT, StorageNamespace.GROUP_KEYS, StorageNamespace.GROUP_INFO, StorageNamespace.GROUP_MEMBERS, 1, 6]) {
      expect(SHARED_CONFIG_KIND[ns]).toBeUndefined();
    }
  });

  it('the UserProfile push of the user-profile vectors unwraps as namespace 2 only', async () => {
    const up = loadVectors('config/user-profile.json');
    const push1 = up.vectors.find((x: { name: string }) => x.name === 'push1');
    const seed = hex(up.account.seed32);
    expect(toHex(await unwrapUserConfig(seed, hex(push1.push_wrapped), StorageNamespace.USER_PROFILE))).toBe(push1.ciphertext);
    for (const ns of userNamespaces.slice(1)) {
      expect(await codeOfAsync(unwrapUserConfig(seed, hex(push1.push_wrapped), ns))).toBe('CONFIG_INVALID');
    }
  });

  it('a wrapped config only unwraps under its own namespace\'s kind; non-user namespaces are INVALID_INPUT', async () => {
    const ct = Uint8Array.of(1, 2, 3, 4);
    for (const wrapNs of userNamespaces) {
      const wrapped = await wrapUserConfig(alice.seed, ct, 7, wrapNs);
      for (const readNs of userNamespaces) {
        if (readNs === wrapNs) expect(await unwrapUserConfig(alice.seed, wrapped, readNs)).toEqual(ct);
        else expect(await codeOfAsync(unwrapUserConfig(alice.seed, wrapped, readNs))).toBe('CONFIG_INVALID');
      }
    }
    for (const ns of [StorageNamespace.DEFAULT, StorageNamespace.GROUP_INFO]) {
      expect(await codeOfAsync(wrapUserConfig(alice.seed, ct, 1, ns))).toBe('INVALID_INPUT');
      expect(await codeOfAsync(unwrapUserConfig(alice.seed, ct, ns))).toBe('INVALID_INPUT');
    }
  });
});

describe('isConfigDict / isConfigSet / isConfigScalar on the upstream m10 message', () => {
  // m10: foo=123, bar={asdf:123, xyz:'abc', '':set{42,'a','b'}} (libsession tests/test_configdata.cpp)
  const m10v = loadVectors('config/config-message.json').vectors.find((x: { name: string }) => x.name === 'm10');
  const data = parseConfigMessage(hex(m10v.serialized)).data;
  const bar = data.get('bar');
  const kinds = (v: ConfigValue | undefined) => [isConfigDict(v), isConfigSet(v), isConfigScalar(v)];

  it('every node of a parsed tree is exactly one of dict, set or scalar', () => {
    expect(m10v.origin).toBe('upstream');
    expect(kinds(data)).toEqual([true, false, false]);
    expect(kinds(data.get('foo'))).toEqual([false, false, true]); // 123n
    expect(kinds(bar)).toEqual([true, false, false]);
    if (!isConfigDict(bar)) throw new Error('unreachable');
    expect(kinds(bar.get('asdf'))).toEqual([false, false, true]);
    expect(kinds(bar.get('xyz'))).toEqual([false, false, true]); // bytes "abc"
    expect(kinds(bar.get(''))).toEqual([false, true, false]);
    const set = bar.get('');
    if (!isConfigSet(set)) throw new Error('unreachable');
    expect(set.values().map((v) => (typeof v === 'bigint' ? v : new TextDecoder().decode(v)))).toEqual([42n, 'a', 'b']);
    expect(set.values().every(isConfigScalar)).toBe(true);
  });

  it('absent keys and values of other JavaScript types are none of the three', () => {
    expect(kinds(data.get('missing'))).toEqual([false, false, false]);
    const foreign: unknown[] = [null, 123, '123', true, [1n], new Set([1n]), { a: 1n }, new Uint16Array(2), new ArrayBuffer(2)];
    for (const v of foreign) expect(kinds(v as ConfigValue), String(v)).toEqual([false, false, false]);
    // The guards look at the JavaScript type only: a fresh empty ConfigSet or Map still classifies.
    expect(kinds(new ConfigSet())).toEqual([false, true, false]);
    expect(kinds(new Map())).toEqual([true, false, false]);
    expect(kinds(new Uint8Array(0))).toEqual([false, false, true]);
  });
});
