/**
 * Community (open group) addressing shared by UserGroups and ConvoInfoVolatile (spec/config.md
 * §3.3–§3.4): the canonical base URL is the dict key, rooms are keyed by their lower-case token.
 * @module
 */
import { SessionSdkError } from '../errors.js';

/**
 * libsession `canonical_url`: lower-case `http`/`https` scheme and host, default port (80/443)
 * dropped, no trailing slash. A path is rejected (the room goes separately).
 *
 * @example
 * ```ts
 * canonicalCommunityUrl('HTTP://Example.ORG:80/'); // 'http://example.org'
 * ```
 */
export function canonicalCommunityUrl(url: string): string {
  if (typeof url !== 'string') throw new SessionSdkError('INVALID_INPUT', 'community URL must be a string');
  const m = /^(https?):\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?\/*$/i.exec(url.trim());
  if (!m) throw new SessionSdkError('INVALID_INPUT', 'invalid community base URL');
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase();
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new SessionSdkError('INVALID_INPUT', 'invalid community port');
  const dflt = scheme === 'http' ? 80 : 443;
  return `${scheme}://${host}${port === undefined || port === dflt ? '' : `:${port}`}`;
}

/**
 * Validates a room token (letters, digits, `-`, `_`; at most 64) and returns its dict key.
 *
 * @example
 * ```ts
 * communityRoomKey('SudokuRoom'); // 'sudokuroom'
 * ```
 */
export function communityRoomKey(room: string): string {
  if (typeof room !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(room)) {
    throw new SessionSdkError('INVALID_INPUT', 'invalid community room token');
  }
  return room.toLowerCase();
}
