/**
 * One participant's view of a groups-v2 keyring (spec/groups.md §2.1, §2.6): the known group keys
 * sorted by (generation, timestamp, key), an admin's pending key, expiry and `needsRekey`.
 * The crypto that feeds it lives in rekey.ts, load-key-message.ts and message.ts; they reach the
 * secrets through keyring-internal.ts, which the package does not export.
 * @module
 */
import { ed25519KeyPairFromSeed, ed25519PkToX25519Sync, ed25519SeedToX25519Secret } from '../crypto/noble.js';
import { SessionSdkError } from '../errors.js';
import { formatSessionId } from '../identity/session-id.js';
import { bdecode, bencode, isBBytes, isBDict, isBInt, isBList, type BInput } from '../util/bencode.js';
import { assertBytes, copyBytes, equalBytes, fromUtf8, toHex, utf8, wipe } from '../util/bytes.js';
import { getCryptoProvider } from '../crypto/provider.js';
import { registerKeyringInternals } from './keyring-internal.js';
import { multiEncryptKey } from './multi-encrypt.js';
import { groupSeedHash } from './primitives.js';

/** BLAKE2b key of the member wrap key (spec/groups.md §2.2; rekey.ts GROUP_KEY_LABELS.member). */
const MEMBER_KEY_DOMAIN = 'SessionGroupKeyMemberKey';

/**
 * Keys stop being used once a newer generation has existed for this long (libsession KEY_EXPIRY).
 *
 * @example
 * ```ts
 * const expired = Date.now() - newerKeyTimestampMs > GROUP_KEY_EXPIRY_MS; // the older key is then dropped
 * ```
 */
export const GROUP_KEY_EXPIRY_MS = 60 * 24 * 60 * 60 * 1000;

/**
 * One group encryption key as known to a participant.
 *
 * @example
 * ```ts
 * for (const k of keys.knownKeys() as GroupKeyInfo[]) console.log(k.generation, new Date(k.timestampMs));
 * ```
 */
export interface GroupKeyInfo {
  /** Key generation: 0 for the first key, incremented by each rekey. */
  generation: number;
  /** The 32-byte XChaCha20-Poly1305 key. */
  key: Uint8Array;
  /** Swarm storage timestamp (ms) of the keys message that delivered it. */
  timestampMs: number;
}

/**
 * Options for {@link createGroupKeys}.
 *
 * @example
 * ```ts
 * const opts: CreateGroupKeysOptions = { userEd25519SecretKey: me.ed25519SecretKey, groupEd25519PublicKey: groupPk, dump: saved };
 * const keys = createGroupKeys(opts);
 * ```
 */
export interface CreateGroupKeysOptions {
  /** Our Ed25519 secret key: the 64-byte libsodium form (or its 32-byte seed). */
  userEd25519SecretKey: Uint8Array;
  /** The group's 32-byte Ed25519 public key (the group ID without its `03`). */
  groupEd25519PublicKey: Uint8Array;
  /** Admins only: the group secret key (32-byte seed or 64-byte libsodium key). */
  groupEd25519SecretKey?: Uint8Array;
  /** State saved by {@link GroupKeys.dump} (libsession's `Keys::dump` format) to restore. */
  dump?: Uint8Array;
}

function compareKeys(a: GroupKeyInfo, b: GroupKeyInfo): number {
  if (a.generation !== b.generation) return a.generation - b.generation;
  if (a.timestampMs !== b.timestampMs) return a.timestampMs - b.timestampMs;
  for (let i = 0; i < 32; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
  return 0;
}

/** An admin's own rekey that has not come back from the swarm yet. */
interface PendingRekey {
  generation: number;
  key: Uint8Array;
  message: Uint8Array;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const copyInfo = (k: GroupKeyInfo): GroupKeyInfo => ({ generation: k.generation, key: copyBytes(k.key), timestampMs: k.timestampMs });

/**
 * A groups-v2 keyring for one participant (admin or member). Create it with
 * {@link createGroupKeys}; feed it with {@link loadKeyMessage}; admins issue keys with
 * {@link rekey} / {@link keySupplement}. Accessors return copies; secrets are not reachable
 * through the public API. Call {@link GroupKeys.destroy} to wipe everything it holds.
 *
 * @example
 * ```ts
 * const keys = createGroupKeys({ userEd25519SecretKey: me.ed25519SecretKey, groupEd25519PublicKey: groupPk });
 * await loadKeyMessage(keys, msgFromNamespace12, storedAtMs);
 * keys.generation; // current generation
 * ```
 */
export class GroupKeys {
  /** The group's Ed25519 public key (`C`). */
  readonly groupEd25519PublicKey: Uint8Array;
  /** `A' = EdPkToX(C)`, the group's X25519 key used for key wrapping. */
  readonly groupX25519PublicKey: Uint8Array;
  /** Our Ed25519 public key. */
  readonly userEd25519PublicKey: Uint8Array;
  /** Our X25519 public key (the key inside our `05` Session ID). */
  readonly userX25519PublicKey: Uint8Array;

  #userEdSk: Uint8Array;
  #userXSk: Uint8Array;
  #groupEdSk: Uint8Array | undefined;
  #groupXSk: Uint8Array | undefined;
  #keys: GroupKeyInfo[] = [];
  #pending: PendingRekey | undefined;
  #active = new Map<number, Set<string>>();
  #wrapKey: Promise<Uint8Array> | undefined;
  #destroyed = false;

  /**
   * Use {@link createGroupKeys}.
   *
   * @example
   * ```ts
   * const keys = createGroupKeys({ userEd25519SecretKey: me.ed25519SecretKey, groupEd25519PublicKey: groupPk });
   * ```
   */
  constructor(opts: CreateGroupKeysOptions) {
    if (typeof opts !== 'object' || opts === null) throw new SessionSdkError('INVALID_INPUT', 'createGroupKeys needs an options object');
    assertBytes(opts.userEd25519SecretKey, 'user Ed25519 secret key', [32, 64]);
    assertBytes(opts.groupEd25519PublicKey, 'group Ed25519 public key', 32);
    const user = ed25519KeyPairFromSeed(opts.userEd25519SecretKey.subarray(0, 32));
    if (opts.userEd25519SecretKey.length === 64 && !equalBytes(user.publicKey, opts.userEd25519SecretKey.subarray(32))) {
      wipe(user.secretKey);
      throw new SessionSdkError('INVALID_KEY', 'user Ed25519 secret key does not match its public half');
    }
    this.#userEdSk = user.secretKey;
    this.#userXSk = ed25519SeedToX25519Secret(user.secretKey);
    this.userEd25519PublicKey = user.publicKey;
    this.userX25519PublicKey = ed25519PkToX25519Sync(user.publicKey);
    this.groupEd25519PublicKey = copyBytes(opts.groupEd25519PublicKey);
    // Also validates the group key (canonical, prime order), as every later step depends on it.
    this.groupX25519PublicKey = ed25519PkToX25519Sync(this.groupEd25519PublicKey);
    if (opts.groupEd25519SecretKey !== undefined) this.loadAdminKey(opts.groupEd25519SecretKey);
    if (opts.dump !== undefined) this.#loadDump(opts.dump);

    const adminSk = (): Uint8Array => {
      this.#assertAlive();
      if (!this.#groupEdSk) throw new SessionSdkError('NOT_ADMIN', 'this operation needs the group secret key');
      return this.#groupEdSk;
    };
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    registerKeyringInternals(this, {
      get userEd25519SecretKey() {
        return self.#userEdSk;
      },
      get userX25519SecretKey() {
        return self.#userXSk;
      },
      assertAlive: () => this.#assertAlive(),
      adminSecretKey: adminSk,
      adminSeed: () => adminSk().subarray(0, 32),
      adminX25519SecretKey: () => (adminSk(), this.#groupXSk!),
      seedHash: (label) => groupSeedHash(adminSk().subarray(0, 32), label),
      encryptionKey: () => this.#encryptionKey(),
      decryptionKeys: () => {
        this.#assertAlive();
        const out = this.#pending ? [this.#pending.key] : [];
        for (let i = this.#keys.length - 1; i >= 0; i--) out.push(this.#keys[i]!.key);
        return out;
      },
      memberWrapKey: () => {
        this.#assertAlive();
        this.#wrapKey ??= (async () => {
          const dh = await getCryptoProvider().x25519(this.#userXSk, this.groupX25519PublicKey);
          try {
            return multiEncryptKey(dh, this.groupX25519PublicKey, this.userX25519PublicKey, MEMBER_KEY_DOMAIN);
          } finally {
            wipe(dh);
          }
        })();
        // a failed derivation is not cached
        this.#wrapKey.catch(() => (this.#wrapKey = undefined));
        return this.#wrapKey;
      },
      setPending: (generation, key, message) => {
        this.#assertAlive(); // destroy() may have run while a rekey was awaiting
        if (this.#pending) wipe(this.#pending.key);
        this.#pending = { generation, key, message };
      },
      confirmPending: (first) => {
        // libsession drops the pending state once a loaded key supersedes or equals it
        if (!this.#pending || !this.isAdmin) return;
        if (first.generation > this.#pending.generation || equalBytes(first.key, this.#pending.key)) {
          wipe(this.#pending.key);
          this.#pending = undefined;
        }
      },
      insertKey: (k, hash) => this.#insertKey(k, hash),
      noteMessage: (generation, hash) => {
        this.#assertAlive();
        if (hash !== undefined) this.#hashSet(generation).add(hash);
        this.#removeExpired();
      },
    });
  }

  /** The group ID: `03` ‖ hex(C). */
  get groupId(): string {
    return formatSessionId(0x03, this.groupEd25519PublicKey);
  }

  /** Our `05` Session ID. */
  get userSessionId(): string {
    return formatSessionId(0x05, this.userX25519PublicKey);
  }

  /** True when we hold the group secret key. */
  get isAdmin(): boolean {
    return this.#groupEdSk !== undefined;
  }

  /**
   * Becomes an admin (promotion, spec/groups.md §2.1): accepts the 32-byte seed from a
   * `GroupUpdatePromoteMessage` or the 64-byte key; throws `INVALID_KEY` if it is not this group's.
   *
   * @example
   * ```ts
   * keys.loadAdminKey(promote.groupIdentitySeed);
   * ```
   */
  loadAdminKey(secretKey: Uint8Array): void {
    this.#assertAlive();
    assertBytes(secretKey, 'group Ed25519 secret key', [32, 64]);
    if (this.#groupEdSk) return;
    const kp = ed25519KeyPairFromSeed(secretKey.subarray(0, 32));
    if (!equalBytes(kp.publicKey, this.groupEd25519PublicKey) || (secretKey.length === 64 && !equalBytes(kp.publicKey, secretKey.subarray(32)))) {
      wipe(kp.secretKey);
      throw new SessionSdkError('INVALID_KEY', 'group secret key does not match the group public key');
    }
    this.#groupEdSk = kp.secretKey;
    this.#groupXSk = ed25519SeedToX25519Secret(kp.secretKey);
  }

  /** Number of known keys (plus one while an admin's rekey is pending). */
  get size(): number {
    return this.#keys.length + (this.#pending ? 1 : 0);
  }

  /** Generation of the key used for encryption (pending first), or -1 with no keys. */
  get generation(): number {
    if (this.#pending) return this.#pending.generation;
    return this.#keys.length ? this.#keys[this.#keys.length - 1]!.generation : -1;
  }

  /** Highest confirmed generation (what the next {@link rekey} increments), or -1. */
  get confirmedGeneration(): number {
    return this.#keys.length ? this.#keys[this.#keys.length - 1]!.generation : -1;
  }

  #encryptionKey(): Uint8Array {
    this.#assertAlive();
    if (this.#pending) return this.#pending.key;
    const last = this.#keys[this.#keys.length - 1];
    if (!last) throw new SessionSdkError('NO_KEY', 'this keyring has no group keys yet');
    return last.key;
  }

  /**
   * A copy of the current encryption key: the pending key if an admin's rekey has not come back
   * yet, else the newest known key (what Info/Members configs are encrypted with). Throws
   * `NO_KEY` when there is none. Wipe the copy when done.
   *
   * @example
   * ```ts
   * const k = keys.encryptionKey();
   * ```
   */
  encryptionKey(): Uint8Array {
    return copyBytes(this.#encryptionKey());
  }

  /**
   * Copies of every usable key, pending first, then newest to oldest (for config decryption).
   *
   * @example
   * ```ts
   * const info = new GroupInfoConfig({ groupEd25519PublicKey: groupPk, keys: keys.decryptionKeys() });
   * ```
   */
  decryptionKeys(): Uint8Array[] {
    this.#assertAlive();
    const out = this.#pending ? [copyBytes(this.#pending.key)] : [];
    for (let i = this.#keys.length - 1; i >= 0; i--) out.push(copyBytes(this.#keys[i]!.key));
    return out;
  }

  /**
   * Confirmed keys, oldest first (copies).
   *
   * @example
   * ```ts
   * const newest = keys.knownKeys().at(-1)?.generation;
   * ```
   */
  knownKeys(): GroupKeyInfo[] {
    this.#assertAlive();
    return this.#keys.map(copyInfo);
  }

  /**
   * The signed keys message of our pending rekey, to (re)push, or undefined.
   *
   * @example
   * ```ts
   * const msg = keys.pendingConfig();
   * if (msg) await storeInNamespace12(msg); // retry the push of our rekey
   * ```
   */
  pendingConfig(): Uint8Array | undefined {
    return this.#pending ? copyBytes(this.#pending.message) : undefined;
  }

  /**
   * A copy of the pending key, if any.
   *
   * @example
   * ```ts
   * const pending = keys.pendingKey(); // undefined once the rekey came back from the swarm
   * ```
   */
  pendingKey(): Uint8Array | undefined {
    return this.#pending ? copyBytes(this.#pending.key) : undefined;
  }

  /**
   * True for an admin when the two newest keys share a generation: two admins rekeyed
   * concurrently. The fix is another {@link rekey}, which converges (spec/groups.md §2.6).
   */
  get needsRekey(): boolean {
    if (!this.isAdmin || this.#keys.length < 2) return false;
    return this.#keys[this.#keys.length - 1]!.generation === this.#keys[this.#keys.length - 2]!.generation;
  }

  /**
   * Hashes of the keys messages that still carry live keys (their TTL should be extended).
   *
   * @example
   * ```ts
   * await extendTtl([...keys.activeHashes()]); // keep live keys messages from expiring
   * ```
   */
  activeHashes(): Set<string> {
    const out = new Set<string>();
    for (const s of this.#active.values()) for (const h of s) out.add(h);
    return out;
  }

  /** True once {@link destroy} ran. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  #hashSet(gen: number): Set<string> {
    let s = this.#active.get(gen);
    if (!s) this.#active.set(gen, (s = new Set()));
    return s;
  }

  /**
   * Inserts a key in (generation, timestamp, key) order; the same key of the same generation is
   * kept once whatever its timestamp; a key already expired on arrival is dropped.
   */
  #insertKey(k: GroupKeyInfo, hash: string | undefined): void {
    this.#assertAlive();
    const keys = this.#keys;
    for (const have of keys) {
      if (have.generation === k.generation && equalBytes(have.key, k.key)) {
        if (hash !== undefined) this.#hashSet(k.generation).add(hash);
        wipe(k.key);
        return;
      }
    }
    let pos = 0;
    while (pos < keys.length && compareKeys(keys[pos]!, k) < 0) pos++;
    const first = keys[0];
    const last = keys[keys.length - 1];
    if (keys.length >= 2 && pos === 0 && k.generation < first!.generation && first!.timestampMs + GROUP_KEY_EXPIRY_MS < last!.timestampMs) {
      wipe(k.key);
      return;
    }
    if (hash !== undefined) this.#hashSet(k.generation).add(hash);
    keys.splice(pos, 0, k);
    this.#removeExpired();
  }

  /** Drops every generation superseded by a newer one more than 60 days (swarm time) ago. */
  #removeExpired(): void {
    const keys = this.#keys;
    if (keys.length >= 2) {
      const newest = keys[keys.length - 1]!.timestampMs;
      let lapsedEnd = 0;
      let i = 0;
      for (;;) {
        // i → last key of its generation, j → first key of the next generation
        let j = i + 1;
        while (j < keys.length && keys[j]!.generation === keys[i]!.generation) i = j++;
        if (j >= keys.length) break;
        if (keys[j]!.timestampMs + GROUP_KEY_EXPIRY_MS < newest) lapsedEnd = j;
        else break;
        i = j;
      }
      for (const gone of keys.splice(0, lapsedEnd)) wipe(gone.key);
    }
    const minGen = keys.length ? keys[0]!.generation : Infinity;
    for (const g of [...this.#active.keys()]) if (g < minGen) this.#active.delete(g);
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new SessionSdkError('DESTROYED', 'this GroupKeys was destroyed');
  }

  /**
   * Wipes every secret this keyring holds (our secret keys, the group secret key, all group keys,
   * the pending key). Later use throws `DESTROYED`. Best effort: JS cannot wipe copies the engine
   * made, nor copies handed out by accessors.
   *
   * @example
   * ```ts
   * keys.destroy();
   * ```
   */
  destroy(): void {
    if (this.#destroyed) return;
    wipe(this.#userEdSk, this.#userXSk, this.#groupEdSk, this.#groupXSk);
    for (const k of this.#keys) wipe(k.key);
    if (this.#pending) wipe(this.#pending.key);
    this.#keys = [];
    this.#pending = undefined;
    this.#groupEdSk = undefined;
    this.#groupXSk = undefined;
    this.#active.clear();
    const wk = this.#wrapKey;
    this.#wrapKey = undefined;
    void wk?.then((k) => wipe(k), () => undefined);
    this.#destroyed = true;
  }

  /**
   * Serialises the keyring state (keys, pending rekey, active message hashes) in libsession's
   * `Keys::dump` format; restore with `createGroupKeys({ …, dump })`. Contains group keys: store
   * it encrypted. Our and the group's secret keys are not included (pass them again on restore).
   *
   * @example
   * ```ts
   * const saved = keys.dump();
   * const again = createGroupKeys({ userEd25519SecretKey, groupEd25519PublicKey, dump: saved });
   * ```
   */
  dump(): Uint8Array {
    this.#assertAlive();
    const active: BInput[] = [...this.#active.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([g, hashes]) => [g, ...[...hashes].map(utf8).sort(compareBytes)]);
    const d: Record<string, BInput> = {
      A: active,
      L: this.#keys.map((k) => ({ g: k.generation, k: k.key, t: k.timestampMs })),
    };
    if (this.#pending) d.P = { c: this.#pending.message, g: this.#pending.generation, k: this.#pending.key };
    return bencode(d);
  }

  #loadDump(dump: Uint8Array): void {
    assertBytes(dump, 'keys dump');
    const bad: (m: string) => never = (m) => {
      throw new SessionSdkError('CONFIG_INVALID', `keys dump: ${m}`);
    };
    const d = bdecode(dump);
    if (!isBDict(d)) bad('not a dict');
    const A = d.get('A');
    const L = d.get('L');
    if (!isBList(A)) bad('missing active hashes (A)');
    if (!isBList(L)) bad('missing keys (L)');
    const int = (v: unknown, what: string): number => {
      if (!isBInt(v as never) || typeof v !== 'number') bad(`${what} is not an integer`);
      return v as number;
    };
    const keys: GroupKeyInfo[] = [];
    for (const e of L) {
      if (!isBDict(e)) bad('key entry is not a dict');
      const k = e.get('k');
      if (!isBBytes(k) || k.length !== 32) bad('key (k) must be 32 bytes');
      const info = { generation: int(e.get('g'), 'generation (g)'), key: k, timestampMs: int(e.get('t'), 'timestamp (t)') };
      if (keys.length && compareKeys(keys[keys.length - 1]!, info) >= 0) bad('keys are not in sorted order');
      keys.push(info);
    }
    const active = new Map<number, Set<string>>();
    for (const e of A) {
      if (!isBList(e) || e.length === 0) bad('active entry must be a non-empty list');
      const g = int(e[0], 'active generation');
      const set = active.get(g) ?? new Set<string>();
      for (const h of e.slice(1)) {
        if (!isBBytes(h)) bad('message hash must be a string');
        set.add(fromUtf8(h));
      }
      active.set(g, set);
    }
    const P = d.get('P');
    let pending: PendingRekey | undefined;
    if (P !== undefined) {
      if (!isBDict(P)) bad('pending (P) is not a dict');
      const c = P.get('c');
      const k = P.get('k');
      if (!isBBytes(c) || c.length === 0) bad('pending config (c) missing');
      if (!isBBytes(k) || k.length !== 32) bad('pending key (k) must be 32 bytes');
      pending = { generation: int(P.get('g'), 'pending generation (g)'), key: k, message: c };
    }
    this.#keys = keys;
    this.#active = active;
    this.#pending = pending;
  }

  /**
   * Debug summary without secrets.
   *
   * @example
   * ```ts
   * console.log(String(keys)); // GroupKeys(03a1b2c3d4…, member, gen 2, 3 keys, user 1f2e3d4c…)
   * ```
   */
  toString(): string {
    return `GroupKeys(${this.groupId.slice(0, 10)}…, ${this.isAdmin ? 'admin' : 'member'}, gen ${this.generation}, ${this.size} keys, user ${toHex(this.userEd25519PublicKey).slice(0, 8)}…)`;
  }
}

/**
 * Creates a keyring for one participant (API.md `createGroupKeys`). Pass the group secret key to
 * act as an admin. Invalid keys throw `INVALID_LENGTH` / `INVALID_KEY` / `SMALL_ORDER_KEY`.
 *
 * @example
 * ```ts
 * const admin = createGroupKeys({ userEd25519SecretKey: me.ed25519SecretKey,
 *   groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: group.secretKey });
 * ```
 */
export function createGroupKeys(opts: CreateGroupKeysOptions): GroupKeys {
  return new GroupKeys(opts);
}
