/**
 * ConvoInfoVolatile, namespace 4 (spec/config.md §3.3): last-read time and "marked unread" of each
 * conversation, with libsession's wall-clock pruning (old entries are not written and are dropped
 * on push) so the config stays small.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { fromHex, toHex } from '../util/bytes.js';
import { canonicalCommunityUrl, communityRoomKey } from './community.js';
import { assertRecord, ensureDict, getBytes, getDict, getFlag, getInt, idKey, keyToId, setFlag } from './fields.js';
import { CONFIG_TYPES, ConfigState, type ConfigPush, type UserConfigOptions } from './state.js';
import { isConfigDict, type ConfigDict, type ConfigValue } from './value.js';

const DAY_MS = 86_400_000;
/**
 * New last-read values older than this are not stored (libsession `PRUNE_LOW`).
 *
 * @example
 * ```ts
 * const worthStoring = Date.now() - lastReadMs < CONVO_PRUNE_LOW_MS;
 * ```
 */
export const CONVO_PRUNE_LOW_MS = 30 * DAY_MS;
/**
 * Entries older than this, and not marked unread, are dropped on push (`PRUNE_HIGH`).
 *
 * @example
 * ```ts
 * const prunedOnPush = !info.unread && Date.now() - info.lastRead > CONVO_PRUNE_HIGH_MS;
 * ```
 */
export const CONVO_PRUNE_HIGH_MS = 45 * DAY_MS;

/**
 * Kinds of conversation: 1:1 (`1`), group v2 (`g`), legacy group (`C`), community (`o`).
 *
 * @example
 * ```ts
 * const kind: ConvoKind = groupId.startsWith('03') ? 'group' : 'one-to-one';
 * const info = civ.get({ kind, id: groupId });
 * ```
 */
export type ConvoKind = 'one-to-one' | 'group' | 'legacy-group' | 'community';

/**
 * Volatile state of one conversation.
 *
 * @example
 * ```ts
 * const info: ConvoInfo = { kind: 'community', baseUrl: 'https://open.getsession.org', room: 'session', pubkey: serverPubkeyHex, lastRead: Date.now(), unread: false };
 * civ.set(info);
 * ```
 */
export interface ConvoInfo {
  /** Which kind of conversation this is; decides whether `id` or `baseUrl` + `room` name it. */
  kind: ConvoKind;
  /** `05…` (1:1, legacy) or `03…` (group) hex; for communities `baseUrl` + `room` instead. */
  id?: string;
  /** Community server URL (communities only). */
  baseUrl?: string;
  /** Community room token (communities only). */
  room?: string;
  /** Community server public key, 64 hex. */
  pubkey?: string;
  /** Unix milliseconds. */
  lastRead: number;
  /** The user marked the conversation unread. */
  unread: boolean;
}

const TOP: Record<Exclude<ConvoKind, 'community'>, [string, number]> = {
  'one-to-one': ['1', 0x05],
  group: ['g', 0x03],
  'legacy-group': ['C', 0x05],
};

/**
 * Per-conversation read state.
 *
 * @example
 * ```ts
 * const civ = new ConvoInfoVolatileConfig({ ed25519SecretKey: sk });
 * civ.set({ kind: 'one-to-one', id: bobId, lastRead: Date.now(), unread: false });
 * ```
 */
export class ConvoInfoVolatileConfig extends ConfigState {
  private readonly now: () => number;

  /** `now` (unix ms) is injectable for tests; defaults to `Date.now`. */
  constructor(opts: UserConfigOptions & { now?: () => number }) {
    const seed = ConfigState.accountSeedOf(opts);
    super(CONFIG_TYPES.ConvoInfoVolatile, { ...opts, keys: [seed], accountSeed: seed });
    this.now = opts.now ?? Date.now;
  }

  private slot(c: Pick<ConvoInfo, 'kind' | 'id' | 'baseUrl' | 'room'>): { path: string[]; pubkeyHost?: string } {
    assertRecord(c, 'conversation');
    if (c.kind === 'community') {
      if (c.baseUrl === undefined || c.room === undefined) {
        throw new SessionSdkError('INVALID_INPUT', 'a community needs baseUrl and room');
      }
      const url = canonicalCommunityUrl(c.baseUrl);
      return { path: ['o', url, 'R', communityRoomKey(c.room)], pubkeyHost: url };
    }
    const top = TOP[c.kind];
    if (!top) throw new SessionSdkError('INVALID_INPUT', `unknown conversation kind ${String(c.kind)}`);
    return { path: [top[0], idKey(c.id ?? '', [top[1]])] };
  }

  private read(kind: ConvoKind, d: ConfigDict, extra: Partial<ConvoInfo>): ConvoInfo {
    return { kind, ...extra, lastRead: Math.max(0, getInt(d, 'r') ?? 0), unread: getFlag(d, 'u') };
  }

  /**
   * The stored state of one conversation, if any.
   *
   * @example
   * ```ts
   * const lastRead = civ.get({ kind: 'one-to-one', id: bobId })?.lastRead ?? 0;
   * ```
   */
  get(c: Pick<ConvoInfo, 'kind' | 'id' | 'baseUrl' | 'room'>): ConvoInfo | undefined {
    const { path } = this.slot(c);
    let d: ConfigDict | undefined = this.data();
    for (const k of path) d = getDict(d, k);
    if (!d) return undefined;
    if (c.kind === 'community') {
      const server = getDict(getDict(this.data(), 'o'), path[1]!);
      const pk = getBytes(server, '#');
      return this.read('community', d, { baseUrl: path[1]!, room: path[3]!, ...(pk ? { pubkey: toHex(pk) } : {}) });
    }
    return this.read(c.kind, d, { id: keyToId(path[1]!, TOP[c.kind][1]) });
  }

  /**
   * Every conversation (malformed entries skipped).
   *
   * @example
   * ```ts
   * const unreadCount = civ.all().filter((c) => c.unread).length;
   * ```
   */
  all(): ConvoInfo[] {
    const out: ConvoInfo[] = [];
    const data = this.data();
    for (const kind of ['one-to-one', 'group', 'legacy-group'] as const) {
      const [top, prefix] = TOP[kind];
      const t = getDict(data, top);
      for (const key of [...(t?.keys() ?? [])].sort()) {
        const id = keyToId(key, prefix);
        const d = getDict(t, key);
        if (id && d) out.push(this.read(kind, d, { id }));
      }
    }
    const o = getDict(data, 'o');
    for (const url of [...(o?.keys() ?? [])].sort()) {
      const server = getDict(o, url);
      const pk = getBytes(server, '#');
      if (!pk || pk.length !== 32) continue;
      const rooms = getDict(server, 'R');
      for (const room of [...(rooms?.keys() ?? [])].sort()) {
        const d = getDict(rooms, room);
        if (d) out.push(this.read('community', d, { baseUrl: url, room, pubkey: toHex(pk) }));
      }
    }
    return out;
  }

  /**
   * Stores `lastRead`/`unread`. As in libsession, a last-read time older than 30 days is only
   * written when it lowers the stored value. Communities need `pubkey` (64 hex).
   *
   * @example
   * ```ts
   * civ.set({ kind: 'group', id: groupId, lastRead: Date.now(), unread: false });
   * ```
   */
  set(c: ConvoInfo): void {
    const { path, pubkeyHost } = this.slot(c);
    if (!Number.isSafeInteger(c.lastRead)) throw new SessionSdkError('INVALID_INPUT', 'lastRead must be an integer');
    let pk: Uint8Array | undefined;
    if (pubkeyHost !== undefined) {
      pk = fromHex(c.pubkey ?? '', 'community pubkey', 'INVALID_KEY');
      if (pk.length !== 32) throw new SessionSdkError('INVALID_KEY', 'community pubkey must be 32 bytes');
    }
    const cutoff = this.now() - CONVO_PRUNE_LOW_MS;
    this.edit((data) => {
      if (pk) ensureDict(ensureDict(data, 'o'), pubkeyHost!).set('#', pk);
      let d = data;
      for (const k of path) d = ensureDict(d, k);
      const r = getInt(d, 'r');
      if ((r !== undefined && c.lastRead < r) || c.lastRead > cutoff) d.set('r', BigInt(c.lastRead));
      setFlag(d, 'u', !!c.unread);
    });
  }

  /**
   * Removes a conversation; returns whether it existed.
   *
   * @example
   * ```ts
   * civ.erase({ kind: 'one-to-one', id: bobId }); // conversation deleted
   * ```
   */
  erase(c: Pick<ConvoInfo, 'kind' | 'id' | 'baseUrl' | 'room'>): boolean {
    const { path } = this.slot(c);
    return this.edit((data) => {
      let d: ConfigDict | undefined = data;
      for (const k of path.slice(0, -1)) d = getDict(d, k);
      return d?.delete(path[path.length - 1]!) ?? false;
    });
  }

  /**
   * Drops entries read more than 45 days ago (or never) and not marked unread, then pushes.
   *
   * @example
   * ```ts
   * const push = await civ.push(); // old, read entries are pruned first
   * ```
   */
  override async push(): Promise<ConfigPush> {
    const cutoff = this.now() - CONVO_PRUNE_HIGH_MS;
    // Only well-formed entries are candidates; anything else is left as found.
    const stale = (v: ConfigValue): boolean => isConfigDict(v) && !getFlag(v, 'u') && (getInt(v, 'r') ?? 0) < cutoff;
    if (!this.isStaleFree(stale)) {
      this.edit((data) => {
        for (const top of ['1', 'g', 'C']) {
          const t = getDict(data, top);
          for (const [k, v] of [...(t ?? [])]) if (stale(v)) t!.delete(k);
        }
        for (const [, server] of getDict(data, 'o') ?? []) {
          const rooms = isConfigDict(server) ? getDict(server, 'R') : undefined;
          for (const [k, v] of [...(rooms ?? [])]) if (stale(v)) rooms!.delete(k);
        }
      });
    }
    return super.push();
  }

  private isStaleFree(stale: (v: ConfigValue) => boolean): boolean {
    const data = this.data();
    for (const top of ['1', 'g', 'C']) for (const [, v] of getDict(data, top) ?? []) if (stale(v)) return false;
    for (const [, server] of getDict(data, 'o') ?? []) {
      for (const [, v] of (isConfigDict(server) ? getDict(server, 'R') : undefined) ?? []) if (stale(v)) return false;
    }
    return true;
  }
}
