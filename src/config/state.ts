/**
 * The local life cycle of one config (spec/config.md §2.1, §2.6, §2.8–§2.10): load what the swarm
 * holds, merge, edit, push (with the storage hashes the push makes obsolete), confirm, dump and
 * restore. Same decisions and bytes as libsession's `ConfigBase`, as an explicit state object.
 * @module
 */
import { ed25519KeyPairFromSeed, ed25519SignSync } from '../crypto/noble.js';
import { SessionSdkError, isSessionSdkError } from '../errors.js';
import { verifyEd25519 } from '../identity/verify.js';
import { bdecode, bencode, isBBytes, isBDict, isBInt, isBList, type BDict, type BInput } from '../util/bencode.js';
import { assertBytes, equalBytes, fromUtf8, utf8, wipe } from '../util/bytes.js';
import { configDecrypt, configEncrypt } from './encrypt.js';
import { assertRecord } from './fields.js';
import { mutableFromResolved, resolveConfigMessages } from './merge.js';
import {
  DEFAULT_CONFIG_LAG,
  emptyConfigMessage,
  incrementConfigMessage,
  parseConfigMessage,
  serializeConfigMessage,
  type ConfigMessage,
  type ConfigSigner,
  type ConfigVerifier,
} from './message.js';
import { CONFIG_MAX_MESSAGE_SIZE, decodeConfigPayload, encodeConfigPayload, type ConfigCompressor } from './payload.js';
import { unwrapUserConfig, wrapUserConfig } from './protobuf-wrap.js';
import { cloneDict, pruneDict, valuesEqual, type ConfigDict } from './value.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * Static description of a config type (spec/config.md §2.7).
 *
 * @example
 * ```ts
 * const info: ConfigTypeInfo = profile.type;
 * console.log(info.name, info.namespace); // 'UserProfile' 2
 * ```
 */
export interface ConfigTypeInfo {
  /** Config type name as libsession spells it, e.g. `UserProfile`. */
  readonly name: string;
  /** Storage namespace the config lives in (spec/onion.md §8.3). */
  readonly namespace: number;
  /** Encryption domain for {@link configEncrypt}. */
  readonly domain: string;
  /** User configs live in the account swarm and are protobuf-wrapped; group configs are signed. */
  readonly kind: 'user' | 'group';
}

/**
 * The six config types, by name.
 *
 * @example
 * ```ts
 * const req = await buildRetrieveRequest({ auth, namespace: CONFIG_TYPES.Contacts.namespace, clock }); // 3
 * ```
 */
export const CONFIG_TYPES = /* @__PURE__ */ deepFreeze({
  UserProfile: { name: 'UserProfile', namespace: 2, domain: 'UserProfile', kind: 'user' },
  Contacts: { name: 'Contacts', namespace: 3, domain: 'Contacts', kind: 'user' },
  ConvoInfoVolatile: { name: 'ConvoInfoVolatile', namespace: 4, domain: 'ConvoInfoVolatile', kind: 'user' },
  UserGroups: { name: 'UserGroups', namespace: 5, domain: 'UserGroups', kind: 'user' },
  GroupInfo: { name: 'GroupInfo', namespace: 13, domain: 'groups::Info', kind: 'group' },
  GroupMembers: { name: 'GroupMembers', namespace: 14, domain: 'groups::Members', kind: 'group' },
} as const satisfies Record<string, ConfigTypeInfo>);

/**
 * `Clean` 0, `Dirty` 1 (unpushed edits), `Waiting` 2 (pushed, unconfirmed) — spec §2.9.
 *
 * @example
 * ```ts
 * const status: ConfigStatus = profile.status;
 * if (status === 'waiting') showSyncing();
 * ```
 */
export type ConfigStatus = 'clean' | 'dirty' | 'waiting';
const STATUS_CODES: Record<ConfigStatus, number> = { clean: 0, dirty: 1, waiting: 2 };

/**
 * One message as retrieved from a namespace: its storage hash and stored bytes.
 *
 * @example
 * ```ts
 * const incoming: ConfigIncoming[] = messages.map((m) => ({ hash: m.hash, data: m.data }));
 * await profile.merge(incoming);
 * ```
 */
export interface ConfigIncoming {
  /** Storage hash of the retrieved message. */
  hash: string;
  /** The stored (encrypted) message bytes, decoded from base64. */
  data: Uint8Array;
}

/**
 * What to store after {@link ConfigState.push}; then call `confirmPushed(seqno, storageHash)`.
 *
 * @example
 * ```ts
 * const push: ConfigPush = await profile.push();
 * const hash = await store(push.namespace, push.data);
 * profile.confirmPushed(push.seqno, hash);
 * ```
 */
export interface ConfigPush {
  /** Namespace to store `data` in. */
  namespace: number;
  /** Seqno of the pushed message; pass it back to `confirmPushed`. */
  seqno: number;
  /** The bytes to store in `namespace`. */
  data: Uint8Array;
  /** Storage hashes this push replaces: delete them once the store succeeded. */
  obsoleteHashes: string[];
}

/**
 * Options shared by every config state.
 *
 * @example
 * ```ts
 * const options: ConfigStateOptions = { dump: savedDump, compress: zstdCompress };
 * const contacts = new ContactsConfig({ ...options, ed25519SecretKey: identity.ed25519SecretKey });
 * ```
 */
export interface ConfigStateOptions {
  /** A dump from {@link ConfigState.dump} to resume from. */
  dump?: Uint8Array;
  /**
   * A zstd level-1 compressor (one standard frame). Without one, pushes are uncompressed, which
   * every client reads; libsession compresses when shorter (spec/config.md §2.4).
   */
  compress?: ConfigCompressor;
}

/**
 * Group-config options: keys come from the group keyring (spec/groups.md §2.6).
 *
 * @example
 * ```ts
 * const info = new GroupInfoConfig({
 *   groupEd25519PublicKey, groupEd25519SecretKey, // omit the secret key for members
 *   keys: groupKeys.decryptionKeys(), encryptionKey: groupKeys.encryptionKey(),
 * });
 * ```
 */
export interface GroupConfigOptions extends ConfigStateOptions {
  /** The group's Ed25519 public key (the `03` group id without its prefix). */
  groupEd25519PublicKey: Uint8Array;
  /** Admins: the group's 32-byte seed or 64-byte secret key; members omit it (read-only). */
  groupEd25519SecretKey?: Uint8Array;
  /**
   * Decryption keys, newest first (e.g. `GroupKeys.decryptionKeys()`); the first one also
   * encrypts pushes unless `encryptionKey` is given.
   */
  keys: readonly Uint8Array[];
  /** The key pushes are encrypted with (e.g. `GroupKeys.encryptionKey()`); tried first on merge. */
  encryptionKey?: Uint8Array;
}

/**
 * User-config options.
 *
 * @example
 * ```ts
 * const options: UserConfigOptions = { ed25519SecretKey: identity.ed25519SecretKey, dump: savedDump };
 * const profile = new UserProfileConfig(options);
 * ```
 */
export interface UserConfigOptions extends ConfigStateOptions {
  /** The account's 32-byte Ed25519 seed or 64-byte secret key (the key base, spec §2.2). */
  ed25519SecretKey: Uint8Array;
}

function dumpError(msg: string): never {
  throw new SessionSdkError('CONFIG_INVALID', `config dump: ${msg}`);
}

/**
 * One config's local state. Subclasses add typed accessors over {@link ConfigState.data} and
 * modify it only through {@link ConfigState.edit}.
 *
 * @example
 * ```ts
 * const profile = new UserProfileConfig({ ed25519SecretKey: identity.ed25519SecretKey });
 * await profile.merge(retrieved);              // [{ hash, data }] from namespace 2
 * profile.setName('Alice');
 * if (profile.needsPush()) {
 *   const push = await profile.push();
 *   const hash = await store(push.namespace, push.data); await deleteHashes(push.obsoleteHashes);
 *   profile.confirmPushed(push.seqno, hash);
 * }
 * ```
 */
export class ConfigState {
  readonly type: ConfigTypeInfo;
  private message: ConfigMessage;
  private statusValue: ConfigStatus = 'clean';
  private currentHash = '';
  private readonly oldHashes = new Set<string>();
  private keyList: Uint8Array[] = [];
  private readonly signer: ConfigSigner | undefined;
  private readonly verifier: ConfigVerifier | undefined;
  private readonly accountSeed: Uint8Array | undefined;
  private readonly compress: ConfigCompressor | undefined;
  private dumpNeeded = false;
  private readonly secrets: Uint8Array[];
  /** Bumped on every change of the message, so an async push can tell it raced an edit. */
  private revision = 0;
  private disposed = false;

  protected constructor(
    type: ConfigTypeInfo,
    opts: ConfigStateOptions & {
      keys: readonly Uint8Array[];
      accountSeed?: Uint8Array;
      signer?: ConfigSigner;
      verifier?: ConfigVerifier;
      /** Secret buffers owned by this object, wiped by {@link ConfigState.dispose}. */
      secrets?: Uint8Array[];
    },
  ) {
    this.type = type;
    this.signer = opts.signer;
    this.verifier = opts.verifier;
    this.accountSeed = opts.accountSeed;
    this.compress = opts.compress;
    this.secrets = [...(opts.secrets ?? []), ...(opts.accountSeed ? [opts.accountSeed] : [])];
    this.message = emptyConfigMessage(DEFAULT_CONFIG_LAG);
    const enc = (opts as GroupConfigOptions).encryptionKey;
    this.setKeys(opts.keys, enc === undefined ? {} : { encryptionKey: enc });
    if (opts.dump !== undefined) this.loadDump(opts.dump);
  }

  /** Builds the signer/verifier pair of a group config (spec/config.md §2.8). */
  protected static groupSigning(opts: GroupConfigOptions): { signer?: ConfigSigner; verifier: ConfigVerifier; secrets: Uint8Array[] } {
    assertRecord(opts, 'group config options');
    assertBytes(opts.groupEd25519PublicKey, 'group Ed25519 public key', 32, 'INVALID_KEY');
    const pk = opts.groupEd25519PublicKey.slice();
    const verifier: ConfigVerifier = (m, sig) => verifyEd25519(sig, m, pk);
    if (opts.groupEd25519SecretKey === undefined) return { verifier, secrets: [] };
    assertBytes(opts.groupEd25519SecretKey, 'group Ed25519 secret key', [32, 64], 'INVALID_KEY');
    const seed = opts.groupEd25519SecretKey.slice(0, 32);
    const derived = ed25519KeyPairFromSeed(seed);
    wipe(derived.secretKey);
    if (!equalBytes(derived.publicKey, pk)) {
      wipe(seed);
      throw new SessionSdkError('INVALID_KEY', 'group secret key does not match the group public key');
    }
    return { verifier, signer: (m) => ed25519SignSync(seed, m), secrets: [seed] };
  }

  /** The account seed of a user config, checked. */
  protected static accountSeedOf(opts: UserConfigOptions): Uint8Array {
    assertRecord(opts, 'user config options');
    assertBytes(opts.ed25519SecretKey, 'account Ed25519 secret key', [32, 64], 'INVALID_KEY');
    return opts.ed25519SecretKey.slice(0, 32);
  }

  /**
   * Wipes the keys and secret seeds this object holds (spec/security.md §5). The object must not
   * be used afterwards; take a {@link ConfigState.dump} first if the state is to be kept.
   *
   * @example
   * ```ts
   * await saveDump(profile.dump());
   * profile.dispose(); // wipes the keys; the object is unusable afterwards
   * ```
   */
  dispose(): void {
    wipe(...this.keyList, ...this.secrets);
    this.keyList = [];
    this.disposed = true;
  }

  /** Every use after {@link ConfigState.dispose} is a bug: fail loudly (spec/security.md §5). */
  private assertLive(): void {
    if (this.disposed) throw new SessionSdkError('DESTROYED', 'this config state was disposed');
  }

  /** Storage namespace of this config. */
  get namespace(): number {
    return this.type.namespace;
  }

  /** Current seqno (the one the next push carries). */
  get seqno(): number {
    return this.message.seqno;
  }

  get status(): ConfigStatus {
    return this.statusValue;
  }

  /** A group config without the group secret key: it reads, verifies, never edits or deletes. */
  get isReadOnly(): boolean {
    return this.verifier !== undefined && this.signer === undefined;
  }

  /**
   * True while there are edits (or a merge) not yet confirmed as stored.
   *
   * @example
   * ```ts
   * if (profile.needsPush()) await pushAndConfirm(profile);
   * ```
   */
  needsPush(): boolean {
    return this.statusValue !== 'clean';
  }

  /**
   * True when the state changed since the last {@link ConfigState.dump}.
   *
   * @example
   * ```ts
   * if (profile.needsDump()) await saveDump(profile.dump());
   * ```
   */
  needsDump(): boolean {
    return this.dumpNeeded;
  }

  /**
   * Storage hash of the stored message that equals the current state, if known.
   *
   * @example
   * ```ts
   * const [hash] = profile.currentHashes(); // the stored message this state equals
   * ```
   */
  currentHashes(): string[] {
    this.assertLive();
    return this.currentHash ? [this.currentHash] : [];
  }

  /**
   * Current keys, newest first (copies).
   *
   * @example
   * ```ts
   * const newest = info.keys()[0];
   * ```
   */
  keys(): Uint8Array[] {
    this.assertLive();
    return this.keyList.map((k) => k.slice());
  }

  /**
   * Installs a new key list, newest first (libsession `replace_keys`); `encryptionKey`, when given,
   * goes first. With `dirty`, a change of the newest key starts a new version so everything is
   * re-pushed under it — what a rekey does; clearing a non-empty list (`setKeys([], { dirty: true })`)
   * also starts a new version, as libsession's `clear_keys` does, so the seqno pushed once keys are
   * back matches a libsession client's. Read-only configs never become dirty.
   *
   * @example
   * ```ts
   * info.setKeys(groupKeys.decryptionKeys(), { encryptionKey: groupKeys.encryptionKey(), dirty: true });
   * ```
   */
  setKeys(keys: readonly Uint8Array[], opts: { dirty?: boolean; encryptionKey?: Uint8Array } = {}): void {
    this.assertLive();
    if (opts === null || typeof opts !== 'object') throw new SessionSdkError('INVALID_INPUT', 'options must be an object');
    if (!Array.isArray(keys)) throw new SessionSdkError('INVALID_INPUT', 'keys must be an array');
    if (opts.encryptionKey !== undefined) {
      assertBytes(opts.encryptionKey, 'encryption key', 32, 'INVALID_KEY');
      keys = [opts.encryptionKey, ...keys];
    }
    keys.forEach((k, i) => assertBytes(k, `key ${i}`, 32, 'INVALID_KEY'));
    const previous = this.keyList;
    // As libsession's `replace_keys` (LS `src/config/base.cpp` @ 0047e1bd, `replace_keys` and
    // `clear_keys`): with `dirty`, a new newest key — or emptying a non-empty list — starts a new
    // seqno; installing the same newest key again, or [] over [], changes nothing.
    const dirty =
      opts.dirty === true &&
      !this.isReadOnly &&
      (keys.length === 0
        ? previous.length > 0
        : previous.length === 0 || !equalBytes(previous[0]!, keys[0]!));
    const unique: Uint8Array[] = [];
    for (const k of keys) if (!unique.some((u) => equalBytes(u, k))) unique.push(k.slice());
    this.keyList = unique;
    wipe(...previous);
    if (dirty) this.markDirty();
  }

  /** The current data (do not modify: use {@link ConfigState.edit}). */
  protected data(): ConfigDict {
    this.assertLive();
    return this.message.data;
  }

  /**
   * Applies `fn` to a copy of the data; if the (pruned) result differs, starts a new version
   * (first edit since the last push) and adopts it. Unchanged values never dirty the config.
   */
  protected edit<T>(fn: (data: ConfigDict) => T): T {
    this.assertLive();
    if (this.isReadOnly) throw new SessionSdkError('NOT_ADMIN', 'this group config is read-only (no group secret key)');
    const copy = cloneDict(this.message.data);
    const result = fn(copy);
    pruneDict(copy);
    if (!valuesEqual(copy, this.message.data)) {
      this.markDirty();
      this.message.data = copy;
      this.dumpNeeded = true;
      this.revision++;
    }
    return result;
  }

  private setStatus(s: ConfigStatus): void {
    if (s === 'dirty' && this.isReadOnly) throw new SessionSdkError('NOT_ADMIN', 'this group config is read-only');
    if (this.statusValue === 'clean' && this.currentHash) {
      this.oldHashes.add(this.currentHash);
      this.currentHash = '';
    }
    this.statusValue = s;
    this.dumpNeeded = true;
    this.revision++;
  }

  private markDirty(): void {
    if (this.statusValue !== 'dirty') {
      this.setStatus('dirty');
      this.message = incrementConfigMessage(this.message, this.signer);
    } else this.dumpNeeded = true;
  }

  /** Candidate ciphertexts for one stored message: unwrapped (twice, for old clients) or raw. */
  private async unwrap(data: Uint8Array): Promise<Uint8Array> {
    if (this.type.kind !== 'user' || !this.accountSeed) return data;
    try {
      const once = await unwrapUserConfig(this.accountSeed, data, this.namespace);
      try {
        return await unwrapUserConfig(this.accountSeed, once, this.namespace);
      } catch (e) {
        if (!isSessionSdkError(e)) throw e;
        return once;
      }
    } catch (e) {
      if (!isSessionSdkError(e)) throw e;
      return data;
    }
  }

  /**
   * Merges messages retrieved from the namespace (libsession `merge`, spec/config.md §2.6).
   * Messages that do not decrypt with any key, do not decode, or (group configs) are not signed by
   * the group key are ignored (when nothing valid arrives the state is left unchanged, where
   * libsession would throw). Returns the storage hashes of the messages that were accepted.
   * Throws `NO_KEY` without keys.
   *
   * @example
   * ```ts
   * const accepted = await profile.merge([{ hash: m.hash, data: m.data }]);
   * ```
   */
  async merge(incoming: readonly ConfigIncoming[]): Promise<string[]> {
    this.assertLive();
    if (this.keyList.length === 0) throw new SessionSdkError('NO_KEY', 'cannot merge configs without a decryption key');
    if (!Array.isArray(incoming)) throw new SessionSdkError('INVALID_INPUT', 'incoming must be an array');
    for (const m of incoming) {
      if (typeof m?.hash !== 'string') throw new SessionSdkError('INVALID_INPUT', 'incoming hash must be a string');
      assertBytes(m.data, 'incoming config data');
    }
    // The only asynchronous step comes first; everything after it runs without yielding, so an
    // edit made while this merge awaits is never merged against stale state.
    const unwrapped: Uint8Array[] = [];
    for (const m of incoming) unwrapped.push(await this.unwrap(m.data));
    const hashes: string[] = [];
    const confs: Uint8Array[] = [];
    const oldSeqno = this.message.seqno;
    const withMine = oldSeqno !== 0 || this.statusValue === 'dirty';
    if (withMine) {
      hashes.push(this.currentHash);
      confs.push(serializeConfigMessage(this.message, { signer: this.signer }));
    }
    for (const [i, m] of incoming.entries()) {
      const c = unwrapped[i]!;
      let plain: Uint8Array | undefined;
      for (const k of this.keyList) {
        try {
          plain = configDecrypt(c, k, this.type.domain);
          break;
        } catch (e) {
          if (!isSessionSdkError(e)) throw e;
        }
      }
      if (!plain) continue;
      try {
        confs.push(decodeConfigPayload(plain));
        hashes.push(m.hash);
      } catch (e) {
        if (!isSessionSdkError(e)) throw e;
      }
    }
    // Nothing usable and nothing of our own: stay as we are (libsession throws here).
    if (confs.length === 0) return [];
    let r: ReturnType<typeof resolveConfigMessages>;
    try {
      r = resolveConfigMessages(confs, { verifier: this.verifier, signer: this.signer });
    } catch (e) {
      if (isSessionSdkError(e, 'CONFIG_INVALID') && !withMine) return [];
      throw e;
    }
    const bad = new Set(r.invalidIndices);
    hashes.forEach((h, i) => {
      if (i !== r.unmergedIndex && !bad.has(i) && h) this.oldHashes.add(h);
    });
    const wasDirty = this.statusValue === 'dirty';
    const next = wasDirty ? mutableFromResolved(r, this.signer) : r.message;
    if (next.seqno !== oldSeqno) {
      if (r.unmergedIndex === undefined) {
        // A clean merge result is pushed with a diff against *empty* data (spec §2.6 [QUIRK]).
        this.message = wasDirty ? next : { ...next, data: cloneDict(next.data), original: new Map() };
        this.setStatus('dirty');
      } else if (!(wasDirty && withMine && r.unmergedIndex === 0 && next.seqno === oldSeqno + 1)) {
        // Adopt the stored message as it is. (libsession's code adopts the incremented copy it
        // built for the dirty case, leaving a "clean" seqno no stored message has; spec §2.6
        // adopts the message itself, which keeps every clean state equal to a stored message.)
        this.message = r.message;
        this.setStatus('clean');
        this.currentHash = hashes[r.unmergedIndex]!;
      }
    }
    this.dumpNeeded = true;
    return hashes.filter((_, i) => (!withMine || i > 0) && !bad.has(i));
  }

  /**
   * Produces the message to store (libsession `push`, spec/config.md §2.1): serialize (signed for
   * group admins), compress if a compressor was given, pad, encrypt with the newest key, wrap user
   * configs. Moves a dirty config to `waiting`. Throws `NO_KEY` or `TOO_LARGE`.
   *
   * @example
   * ```ts
   * const { namespace, data, seqno, obsoleteHashes } = await profile.push();
   * ```
   */
  async push(): Promise<ConfigPush> {
    this.assertLive();
    if (this.keyList.length === 0) throw new SessionSdkError('NO_KEY', 'cannot push a config without an encryption key');
    const seqno = this.message.seqno;
    const revision = this.revision;
    const serialized = serializeConfigMessage(this.message, { signer: this.signer });
    let data = configEncrypt(encodeConfigPayload(serialized, this.compress), this.keyList[0]!, this.type.domain);
    const tooLarge = (): never => {
      throw new SessionSdkError('TOO_LARGE', `config data is too large (${serialized.length} bytes serialized${this.compress ? '' : ', uncompressed'})`);
    };
    if (data.length > CONFIG_MAX_MESSAGE_SIZE) tooLarge();
    if (this.type.kind === 'user' && this.accountSeed) {
      data = await wrapUserConfig(this.accountSeed, data, seqno, this.namespace);
    }
    if (data.length > CONFIG_MAX_MESSAGE_SIZE) tooLarge();
    // An edit made while wrapping belongs to this seqno but is not in `data`: stay dirty so it
    // is pushed next time (confirmPushed for this push is then ignored).
    if (this.statusValue === 'dirty' && this.revision === revision) this.setStatus('waiting');
    const obsoleteHashes = this.isReadOnly ? [] : [...this.oldHashes];
    this.oldHashes.clear();
    return { namespace: this.namespace, seqno, data, obsoleteHashes };
  }

  /**
   * Records a successful store of the push with `seqno`; ignored if edits happened since.
   *
   * @example
   * ```ts
   * profile.confirmPushed(push.seqno, storedHash);
   * ```
   */
  confirmPushed(seqno: number, storageHash: string): void {
    this.assertLive();
    if (typeof storageHash !== 'string') throw new SessionSdkError('INVALID_INPUT', 'storage hash must be a string');
    if (this.statusValue === 'waiting' && seqno === this.message.seqno) {
      this.setStatus('clean');
      this.currentHash = storageHash;
    }
  }

  /** Extra per-type dump data (`+`); only GroupMembers has some. */
  protected dumpExtra(): Map<string, BInput> {
    return new Map();
  }

  /** Restores {@link ConfigState.dumpExtra} output. */
  protected loadExtra(_extra: BDict): void {}

  /**
   * Local persistence in libsession's dump format (spec/config.md §2.10), so state can also be
   * shared with libsession-based code. Never signs; a verified signature is kept.
   *
   * @example
   * ```ts
   * const restored = new UserProfileConfig({ ed25519SecretKey: sk, dump: profile.dump() });
   * ```
   */
  dump(): Uint8Array {
    this.assertLive();
    if (this.isReadOnly) this.oldHashes.clear();
    const d = new Map<string, BInput>([
      ['!', STATUS_CODES[this.statusValue]],
      ['$', serializeConfigMessage(this.message, { sign: false })],
      ['(', utf8(this.currentHash)],
      [')', [...this.oldHashes].map(utf8)],
      ['+', this.dumpExtra()],
    ]);
    this.dumpNeeded = false;
    return bencode(d);
  }

  private loadDump(dump: Uint8Array): void {
    assertBytes(dump, 'dump');
    const d = bdecode(dump);
    if (!isBDict(d)) dumpError('not a dict');
    const state = d.get('!');
    if (!isBInt(state) || ![0, 1, 2].includes(Number(state))) dumpError('bad state');
    const status = (['clean', 'dirty', 'waiting'] as const)[Number(state)]!;
    const data = d.get('$');
    if (!isBBytes(data)) dumpError('missing config message');
    if (status === 'dirty') {
      // A dirty dump reopens as a new version (libsession "wastes" one seqno here).
      this.message = incrementConfigMessage(parseConfigMessage(data));
    } else {
      this.message = parseConfigMessage(data, { trustSignature: true });
    }
    const curr = d.get('(');
    const old = d.get(')');
    if (curr !== undefined) {
      if (!isBBytes(curr) || !isBList(old)) dumpError('bad hashes');
      this.currentHash = fromUtf8(curr);
      for (const h of old) {
        if (!isBBytes(h)) dumpError('bad old hash');
        this.oldHashes.add(fromUtf8(h));
      }
    }
    const extra = d.get('+');
    if (extra !== undefined) {
      if (!isBDict(extra)) dumpError('bad extra data');
      this.loadExtra(extra);
    }
    this.statusValue = status;
  }
}
