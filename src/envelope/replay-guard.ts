/**
 * A replay guard for received messages (spec/security.md §1 "No cryptographic replay protection",
 * §2.2 "Replay"). Session v1 signs only the message, not where or when it is served, so a storage
 * node can re-serve an old ciphertext and a peer can re-seal a message it already sent. Apps
 * de-duplicate by a message ID derived from the *authenticated* content and reject timestamps
 * outside a time window; this module is that cache, with an injectable clock.
 * @module
 */
import { blake2b } from '../crypto/blake2b.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes, toHex, utf8 } from '../util/bytes.js';

/**
 * Default acceptance window behind "now": 14 days, the longest TTL a swarm gives a message in a
 * public namespace (spec/onion.md §8), so an honest swarm never serves anything older.
 *
 * @example
 * ```ts
 * const guard = new ReplayGuard({ windowMs: REPLAY_GUARD_DEFAULT_WINDOW_MS / 2 }); // 7 days
 * ```
 */
export const REPLAY_GUARD_DEFAULT_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
/**
 * Default tolerance for timestamps ahead of the local clock (sender clock skew): 10 minutes.
 *
 * @example
 * ```ts
 * const guard = new ReplayGuard({ futureMs: 2 * REPLAY_GUARD_DEFAULT_FUTURE_MS }); // tolerate 20 min of skew
 * ```
 */
export const REPLAY_GUARD_DEFAULT_FUTURE_MS = 10 * 60 * 1000;
/**
 * Default cap on remembered messages before the oldest are evicted.
 *
 * @example
 * ```ts
 * const guard = new ReplayGuard({ maxEntries: REPLAY_GUARD_DEFAULT_MAX_ENTRIES / 10 }); // a small device
 * ```
 */
export const REPLAY_GUARD_DEFAULT_MAX_ENTRIES = 100_000;

/**
 * Options for {@link ReplayGuard}.
 *
 * @example
 * ```ts
 * const opts: ReplayGuardOptions = { windowMs: 7 * 86_400_000, now: () => clock.now() };
 * const guard = new ReplayGuard(opts);
 * ```
 */
export interface ReplayGuardOptions {
  /** How far behind the clock a timestamp may be, ms (default {@link REPLAY_GUARD_DEFAULT_WINDOW_MS}). */
  windowMs?: number;
  /** How far ahead of the clock a timestamp may be, ms (default {@link REPLAY_GUARD_DEFAULT_FUTURE_MS}). */
  futureMs?: number;
  /** Most IDs remembered (default {@link REPLAY_GUARD_DEFAULT_MAX_ENTRIES}); see {@link ReplayGuard.check}. */
  maxEntries?: number;
  /** Clock in ms since the epoch (default `Date.now`). Injectable for tests and for a server-synced clock. */
  now?: () => number;
}

/**
 * Verdict of {@link ReplayGuard.check}: `fresh` (first sighting, now recorded), `duplicate` (seen
 * inside the window), `expired` (older than the window, or older than an evicted entry), `future`
 * (further ahead of the clock than allowed).
 *
 * @example
 * ```ts
 * const verdict: ReplayVerdict = guard.check(id, sentAtMs);
 * if (verdict !== 'fresh') return; // drop duplicates, stale and far-future messages
 * ```
 */
export type ReplayVerdict = 'fresh' | 'duplicate' | 'expired' | 'future';

/**
 * What identifies a message for {@link replayMessageId}.
 *
 * @example
 * ```ts
 * const parts: ReplayMessageParts = { sender: senderSessionId, payload: plaintext, context: groupId };
 * const id = replayMessageId(parts);
 * ```
 */
export interface ReplayMessageParts {
  /** The authenticated sender: a `05` Session ID (as returned by the decrypt functions). */
  sender: string;
  /** The authenticated payload: the decrypted plaintext (or `contentBytes`) the sender signed. */
  payload: Uint8Array;
  /**
   * Where the message was addressed: e.g. the `03` group ID for a group message, or the
   * recipient's Session ID. Keeps identical payloads in different conversations apart.
   */
  context?: string;
}

const ID_KEY = /* @__PURE__ */ utf8('session-sdk-replay-id');

function checkId(id: Uint8Array | string): string {
  if (typeof id === 'string') {
    if (id.length === 0 || id.length > 256) throw new SessionSdkError('INVALID_INPUT', 'replay ID must be a non-empty string of at most 256 characters');
    return id;
  }
  assertBytes(id, 'replay ID');
  if (id.length === 0 || id.length > 128) throw new SessionSdkError('INVALID_LENGTH', 'replay ID must be 1 to 128 bytes');
  return toHex(id);
}

function checkMs(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new SessionSdkError('INVALID_INPUT', `${name} must be a non-negative integer (ms)`);
  return v;
}

/**
 * A 32-byte message ID over the authenticated parts of a message: keyed BLAKE2b of
 * `len(context) ‖ context ‖ len(sender) ‖ sender ‖ payload` (lengths as 2-byte big-endian, so no two
 * inputs share an encoding). Because it hashes the signed plaintext and not the ciphertext, a
 * ciphertext re-encrypted with a new ephemeral key (spec/security.md §2.2) gets the same ID.
 *
 * @example
 * ```ts
 * const { plaintext, senderSessionId } = await decryptIncoming(me.ed25519SecretKey, ct);
 * const id = replayMessageId({ sender: senderSessionId, payload: plaintext });
 * ```
 */
export function replayMessageId(parts: ReplayMessageParts): Uint8Array {
  if (typeof parts !== 'object' || parts === null) throw new SessionSdkError('INVALID_INPUT', 'replayMessageId needs { sender, payload }');
  const { sender, payload, context = '' } = parts;
  if (typeof sender !== 'string' || sender.length === 0 || sender.length > 256) {
    throw new SessionSdkError('INVALID_INPUT', 'sender must be a non-empty string of at most 256 characters');
  }
  if (typeof context !== 'string' || context.length > 256) throw new SessionSdkError('INVALID_INPUT', 'context must be a string of at most 256 characters');
  assertBytes(payload, 'payload');
  // Session IDs are case-insensitive hex (spec/API.md): one sender, one ID.
  const s = utf8(sender.toLowerCase());
  const c = utf8(context.toLowerCase());
  const len = (n: number) => Uint8Array.of(n >>> 8, n & 0xff);
  return blake2b(concatBytes(len(c.length), c, len(s.length), s, payload), { dkLen: 32, key: ID_KEY });
}

/**
 * Remembers the IDs of accepted messages for as long as their timestamps are inside the window,
 * and tells a first delivery from a duplicate. Entries leave when their timestamp falls out of the
 * window, because from then on any copy is rejected as `expired` anyway: memory stays bounded by
 * the traffic of one window. If `maxEntries` is still exceeded, the oldest-timestamped entries
 * are evicted and the guard raises a floor: every message not newer than an evicted one is then
 * `expired`. A full guard thus rejects some old legitimate messages rather than accept a replay.
 *
 * The timestamp must come from the authenticated content (e.g. `Content.sigTimestamp` or the data
 * message timestamp), never from the unauthenticated envelope or the swarm, and the ID must cover
 * that timestamp (as {@link replayMessageId} over the signed content does): a forgotten ID is only
 * safe to forget because its one timestamp is out of the window for good.
 *
 * State lives in memory; an app that restarts should persist {@link ReplayGuard.entries} and
 * restore it with {@link ReplayGuard.restore}, or it accepts one replay per message still in the window.
 *
 * @example
 * ```ts
 * const guard = new ReplayGuard();
 * const msg = await decodeDirectMessage(me.ed25519SecretKey, data);
 * const id = replayMessageId({ sender: msg.senderSessionId, payload: msg.contentBytes });
 * if (guard.check(id, msg.content.sigTimestamp ?? 0) !== 'fresh') return; // drop
 * ```
 */
export class ReplayGuard {
  readonly windowMs: number;
  readonly futureMs: number;
  readonly maxEntries: number;
  readonly #now: () => number;
  /** id → message timestamp. */
  #seen = new Map<string, number>();
  /** Every timestamp ≤ floor is treated as expired (raised by capacity eviction). */
  #floor = -1;
  /** Oldest timestamp that may still be in the map: lets {@link prune} skip needless scans. */
  #oldest = Infinity;
  #lastPrune = -Infinity;
  readonly #pruneEvery: number;

  constructor(opts: ReplayGuardOptions = {}) {
    if (typeof opts !== 'object' || opts === null) throw new SessionSdkError('INVALID_INPUT', 'ReplayGuard options must be an object');
    this.windowMs = checkMs(opts.windowMs ?? REPLAY_GUARD_DEFAULT_WINDOW_MS, 'windowMs');
    this.futureMs = checkMs(opts.futureMs ?? REPLAY_GUARD_DEFAULT_FUTURE_MS, 'futureMs');
    const max = opts.maxEntries ?? REPLAY_GUARD_DEFAULT_MAX_ENTRIES;
    if (!Number.isSafeInteger(max) || max < 1) throw new SessionSdkError('INVALID_INPUT', 'maxEntries must be a positive integer');
    this.maxEntries = max;
    if (opts.now !== undefined && typeof opts.now !== 'function') throw new SessionSdkError('INVALID_INPUT', 'now must be a function');
    this.#now = opts.now ?? Date.now;
    this.#pruneEvery = Math.max(1, Math.floor(this.windowMs / 16));
  }

  /** Number of IDs currently remembered (may include expired ones until the next {@link prune}). */
  get size(): number {
    return this.#seen.size;
  }

  #clock(): number {
    const t = this.#now();
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new SessionSdkError('INVALID_INPUT', 'ReplayGuard clock returned a non-finite value');
    return t;
  }

  /** Verdict for `timestampMs` against the window alone. */
  #windowVerdict(timestampMs: number, now: number): ReplayVerdict | undefined {
    if (timestampMs > now + this.futureMs) return 'future';
    if (timestampMs < now - this.windowMs || timestampMs <= this.#floor) return 'expired';
    return undefined;
  }

  /**
   * Classifies a message and, when it is `fresh`, records it. Call it only after the message
   * authenticated (so forged traffic cannot fill the cache), with the ID from
   * {@link replayMessageId} (or any stable ID of the authenticated content) and the signed timestamp.
   *
   * @example
   * ```ts
   * if (guard.check(id, sentAtMs) === 'fresh') deliver(msg);
   * ```
   */
  check(id: Uint8Array | string, timestampMs: number): ReplayVerdict {
    const key = checkId(id);
    checkMs(timestampMs, 'timestampMs');
    const now = this.#clock();
    const outside = this.#windowVerdict(timestampMs, now);
    if (outside) return outside;
    const seenAt = this.#seen.get(key);
    if (seenAt !== undefined) {
      if (seenAt >= now - this.windowMs) return 'duplicate';
      this.#seen.delete(key); // expired, not yet pruned: as if forgotten
    }
    // Expired entries are harmless (their copies fail the window check first), so the O(n) scan
    // runs at most every windowMs/16 of clock time, or when the guard is full: amortised O(1).
    if (this.#seen.size >= this.maxEntries || now - this.#lastPrune >= this.#pruneEvery) this.prune(now);
    this.#seen.set(key, timestampMs);
    if (timestampMs < this.#oldest) this.#oldest = timestampMs;
    if (this.#seen.size > this.maxEntries) this.#evict();
    return 'fresh';
  }

  /**
   * {@link check} that throws: `REPLAY` for a duplicate or expired message, `CLOCK_SKEW` for a
   * timestamp too far in the future.
   *
   * @example
   * ```ts
   * guard.accept(id, sentAtMs); // throws SessionSdkError('REPLAY') on a second delivery
   * ```
   */
  accept(id: Uint8Array | string, timestampMs: number): void {
    const v = this.check(id, timestampMs);
    if (v === 'fresh') return;
    if (v === 'future') throw new SessionSdkError('CLOCK_SKEW', 'message timestamp is too far in the future');
    throw new SessionSdkError('REPLAY', v === 'duplicate' ? 'message was already received' : 'message timestamp is outside the replay window');
  }

  /**
   * True if `id` is remembered and inside the window (does not record it).
   *
   * @example
   * ```ts
   * if (guard.has(id)) console.log('already delivered');
   * ```
   */
  has(id: Uint8Array | string): boolean {
    const ts = this.#seen.get(checkId(id));
    return ts !== undefined && ts >= this.#clock() - this.windowMs;
  }

  /**
   * Forgets the IDs whose timestamps left the window ({@link check} runs it periodically).
   *
   * @example
   * ```ts
   * guard.prune(); // e.g. before persisting entries()
   * ```
   */
  prune(now: number = this.#clock()): void {
    this.#lastPrune = now;
    const limit = now - this.windowMs;
    if (this.#oldest >= limit) return;
    let oldest = Infinity;
    for (const [k, ts] of this.#seen) {
      if (ts < limit) this.#seen.delete(k);
      else if (ts < oldest) oldest = ts;
    }
    this.#oldest = oldest;
  }

  /** Over capacity: drop the oldest tenth by timestamp and raise the floor to the newest dropped. */
  #evict(): void {
    const byAge = [...this.#seen].sort((a, b) => a[1] - b[1]);
    const drop = Math.max(1, Math.ceil(this.maxEntries / 10), byAge.length - this.maxEntries);
    let floor = this.#floor;
    for (let i = 0; i < drop; i++) {
      this.#seen.delete(byAge[i]![0]);
      if (byAge[i]![1] > floor) floor = byAge[i]![1];
    }
    // everything sharing the floor timestamp must go too, or it could never be told from a replay
    for (let i = drop; i < byAge.length && byAge[i]![1] <= floor; i++) this.#seen.delete(byAge[i]![0]);
    this.#floor = floor;
    this.#oldest = -Infinity; // recomputed by the next scanning prune
  }

  /**
   * The remembered state, for persistence: `[id, timestampMs]` pairs plus the eviction floor.
   *
   * @example
   * ```ts
   * localStorage.setItem('replay', JSON.stringify(guard.entries()));
   * ```
   */
  entries(): { ids: [string, number][]; floor: number } {
    return { ids: [...this.#seen], floor: this.#floor };
  }

  /**
   * Loads state saved with {@link entries} (merged with what is already remembered).
   *
   * @example
   * ```ts
   * guard.restore(JSON.parse(localStorage.getItem('replay')!));
   * ```
   */
  restore(state: { ids: [string, number][]; floor: number }): void {
    if (typeof state !== 'object' || state === null || !Array.isArray(state.ids) || typeof state.floor !== 'number' || !Number.isSafeInteger(state.floor)) {
      throw new SessionSdkError('INVALID_INPUT', 'replay guard state must be { ids: [id, timestamp][], floor }');
    }
    const parsed: [string, number][] = [];
    for (const e of state.ids) {
      if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string') throw new SessionSdkError('INVALID_INPUT', 'replay guard entry must be [id, timestamp]');
      parsed.push([checkId(e[0]), checkMs(e[1], 'entry timestamp')]);
    }
    if (state.floor > this.#floor) this.#floor = state.floor;
    for (const [k, ts] of parsed) {
      this.#seen.set(k, ts);
      if (ts < this.#oldest) this.#oldest = ts;
    }
    if (this.#seen.size > this.maxEntries) this.#evict();
  }

  /**
   * Forgets everything (including the eviction floor).
   *
   * @example
   * ```ts
   * guard.clear(); // e.g. on logout
   * ```
   */
  clear(): void {
    this.#seen.clear();
    this.#lastPrune = -Infinity;
    this.#floor = -1;
    this.#oldest = Infinity;
  }
}
