/**
 * Padding of the plaintext `Content` before 1:1 and community encryption
 * (spec/identity-envelope.md §3.4). We emit libsession's form and accept libsession's and the
 * legacy Signal-inherited desktop form, which differ only in how many zero bytes follow the
 * `0x80` marker.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes } from '../util/bytes.js';

/**
 * Block size of libsession's message padding (`COMMUNITY_OR_1O1_MSG_PADDING`).
 *
 * @example
 * ```ts
 * padMessage(content).length % MESSAGE_PADDING_BLOCK; // 0
 * ```
 */
export const MESSAGE_PADDING_BLOCK = 160;

/** The byte that ends the content and starts the padding. */
const MARKER = 0x80;

/**
 * libsession `pad_message`: appends `0x80` and then zeros up to the next multiple of 160 bytes. A
 * full block of padding is added when `len + 1` is already a multiple of 160, so the result is
 * always `(floor((len + 1) / 160) + 1) · 160` bytes.
 *
 * @example
 * ```ts
 * padMessage(new Uint8Array(5)).length; // 160
 * ```
 */
export function padMessage(m: Uint8Array): Uint8Array {
  assertBytes(m, 'message');
  const total = (Math.floor((m.length + 1) / MESSAGE_PADDING_BLOCK) + 1) * MESSAGE_PADDING_BLOCK;
  const out = new Uint8Array(total);
  out.set(m, 0);
  out[m.length] = MARKER;
  return out;
}

/**
 * Removes message padding. Scans back over trailing zeros: a `0x80` there ends the content (both
 * libsession's and legacy desktop padding); any other byte means the sender did not pad and the
 * message is returned whole, including its trailing zeros, as desktop does (spec §3.4; libsession's
 * `unpad_message` drops those zeros, which would truncate a protobuf that ends in a zero byte —
 * no client sends unpadded content today, so the two never disagree in practice). With
 * `opts.strict` the `0x80` marker is required (no client enforces that yet).
 *
 * Throws `BAD_PADDING` for an empty or all-zero input (what desktop also refuses) and, when
 * strict, for a missing marker. Returns a copy.
 *
 * @example
 * ```ts
 * unpadMessage(padMessage(content)); // content
 * ```
 */
export function unpadMessage(m: Uint8Array, opts: { strict?: boolean } = {}): Uint8Array {
  assertBytes(m, 'padded message');
  let end = m.length;
  while (end > 0 && m[end - 1] === 0) end--;
  if (end === 0) throw new SessionSdkError('BAD_PADDING', 'padded message is empty or all zero');
  if (m[end - 1] === MARKER) return m.slice(0, end - 1);
  if (opts.strict) throw new SessionSdkError('BAD_PADDING', 'padded message has no 0x80 marker');
  return m.slice();
}
