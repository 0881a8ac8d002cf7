/**
 * Choosing among, or merging, several versions of one config (spec/config.md §1.8). The result
 * depends only on the set of valid inputs, never on their order: every diff is replayed in
 * ascending (seqno, hash) order, taking values from the message that carried it.
 * @module
 */
import { SessionSdkError, isSessionSdkError } from '../errors.js';
import { applyDiff, type ConfigDiff } from './diff.js';
import {
  DEFAULT_CONFIG_LAG,
  compareSeqnoHash,
  configLag,
  configMessageHash,
  incrementConfigMessage,
  parseConfigMessage,
  serializeConfigMessage,
  type ConfigMessage,
  type ConfigSigner,
  type ConfigVerifier,
  type LaggedDiff,
} from './message.js';
import { cloneDict, pruneDict, type ConfigDict } from './value.js';

/**
 * Options for {@link resolveConfigMessages}.
 *
 * @example
 * ```ts
 * const opts: ConfigResolveOptions = { verifier: (p, sig) => verifyEd25519(sig, p, groupPk) }; // a read-only member
 * const { message } = resolveConfigMessages(stored, opts);
 * ```
 */
export interface ConfigResolveOptions {
  /** Group configs: requires and checks every input's signature; inputs that fail are invalid. */
  verifier?: ConfigVerifier;
  /** Group admins: signs a merged result. */
  signer?: ConfigSigner;
  /** Lag window. Default {@link DEFAULT_CONFIG_LAG}. */
  lag?: number;
}

/**
 * What {@link resolveConfigMessages} chose.
 *
 * @example
 * ```ts
 * const r: ConfigResolveResult = resolveConfigMessages([a, b]);
 * if (r.unmergedIndex === undefined) console.log('merged into seqno', r.message.seqno);
 * ```
 */
export interface ConfigResolveResult {
  /** The adopted or merged message (received form: `diff`/`hash` as serialized). */
  message: ConfigMessage;
  /** Index (into the inputs) of the message adopted unchanged; undefined after a real merge. */
  unmergedIndex: number | undefined;
  /** Indices of inputs that failed to parse or verify (left alone, never deleted). */
  invalidIndices: number[];
}

const cmp = (a: ConfigMessage, b: ConfigMessage): number => compareSeqnoHash(a.seqno, a.hash, b.seqno, b.hash);

function includes(lagged: readonly LaggedDiff[], m: ConfigMessage): boolean {
  return lagged.some((l) => compareSeqnoHash(l.seqno, l.hash, m.seqno, m.hash) === 0);
}

/**
 * libsession's `ConfigMessage(vector<serialized>)` (spec/config.md §1.8): drops inputs that do not
 * parse/verify, redundant ones (included in another's lagged diffs, duplicates, older than the lag
 * window), adopts a single survivor unchanged, lets a read-only reader (verifier without signer)
 * adopt the highest, and otherwise merges into seqno `top + 1` with an empty `=`.
 * Throws `CONFIG_INVALID` when no input is valid.
 *
 * @example
 * ```ts
 * const { message } = resolveConfigMessages([m125a, m125b]); // seqno 126, both changes
 * ```
 */
export function resolveConfigMessages(inputs: readonly Uint8Array[], opts: ConfigResolveOptions = {}): ConfigResolveResult {
  if (!Array.isArray(inputs)) throw new SessionSdkError('INVALID_INPUT', 'inputs must be an array of serialized messages');
  const lag = configLag(opts.lag);
  const parsed: { msg: ConfigMessage; index: number; redundant: boolean }[] = [];
  const invalidIndices: number[] = [];
  inputs.forEach((bytes, index) => {
    try {
      parsed.push({ msg: parseConfigMessage(bytes, { verifier: opts.verifier, lag }), index, redundant: false });
    } catch (e) {
      if (!isSessionSdkError(e)) throw e;
      invalidIndices.push(index);
    }
  });
  if (parsed.length === 0) throw new SessionSdkError('CONFIG_INVALID', 'no valid config messages');

  let top = -Infinity;
  for (const p of parsed) top = Math.max(top, p.msg.seqno);
  parsed.forEach((p, i) => {
    p.redundant =
      p.msg.seqno + lag <= top ||
      parsed.some((q, j) => j !== i && (includes(q.msg.lagged, p.msg) || (j < i && cmp(q.msg, p.msg) === 0)));
  });
  const live = parsed.filter((p) => !p.redundant);

  if (live.length === 1) return { message: live[0]!.msg, unmergedIndex: live[0]!.index, invalidIndices };
  if (opts.verifier && !opts.signer) {
    // A read-only member cannot sign a merge: adopt the highest version and wait for an admin.
    const best = live.reduce((a, b) => (cmp(b.msg, a.msg) > 0 ? b : a));
    return { message: best.msg, unmergedIndex: best.index, invalidIndices };
  }

  live.sort((a, b) => cmp(b.msg, a.msg));
  const replay = new Map<string, { seqno: number; hash: Uint8Array; src: ConfigDict; diff: ConfigDiff }>();
  const add = (seqno: number, hash: Uint8Array, src: ConfigDict, diff: ConfigDiff): void => {
    const key = `${seqno}:${String.fromCharCode(...hash)}`;
    if (!replay.has(key)) replay.set(key, { seqno, hash, src, diff }); // first (highest source) wins
  };
  for (const { msg } of live) {
    add(msg.seqno, msg.hash, msg.data, msg.diff);
    for (const l of msg.lagged) add(l.seqno, l.hash, msg.data, l.diff);
  }
  const steps = [...replay.values()].sort((a, b) => compareSeqnoHash(a.seqno, a.hash, b.seqno, b.hash));
  const data = cloneDict(live[0]!.msg.data);
  const lagged: LaggedDiff[] = [];
  for (const s of steps) {
    applyDiff(data, s.diff, s.src);
    lagged.push({ seqno: s.seqno, hash: s.hash, diff: s.diff });
  }
  pruneDict(data);
  const message: ConfigMessage = {
    seqno: top + 1,
    data,
    lagged,
    unknown: new Map(),
    lag,
    diff: new Map(),
    hash: new Uint8Array(32),
    merged: true,
  };
  message.hash = configMessageHash(serializeConfigMessage(message, { signer: opts.signer }));
  return { message, unmergedIndex: undefined, invalidIndices };
}

/**
 * The editable message libsession builds from a resolve (`MutableConfigMessage(vector)`): a merge
 * result keeps its seqno and diffs later edits against the merged data; an adopted message is
 * incremented to the next seqno.
 *
 * @example
 * ```ts
 * const m = mutableFromResolved(resolveConfigMessages(received));
 * m.data.set('n', new TextEncoder().encode('new name'));
 * ```
 */
export function mutableFromResolved(r: ConfigResolveResult, signer?: ConfigSigner): ConfigMessage {
  if (r.unmergedIndex !== undefined) return incrementConfigMessage(r.message, signer);
  const { signature: _dropped, ...rest } = r.message;
  return { ...rest, data: cloneDict(r.message.data), original: cloneDict(r.message.data) };
}
