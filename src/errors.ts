/**
 * Typed errors. Every failure caused by input (wrong length, bad hex, forged signature, truncated
 * ciphertext, …) surfaces as a {@link SessionSdkError} with a stable {@link SessionSdkErrorCode}.
 * Messages describe *what* was wrong, never the secret bytes involved (spec/security.md §5).
 * @module
 */
import { deepFreeze } from './util/freeze.js';

/**
 * Every error code the SDK throws. Codes are stable across versions; messages are not.
 *
 * @example
 * ```ts
 * SESSION_SDK_ERROR_CODES.includes('BAD_SIGNATURE'); // true
 * ```
 */
export const SESSION_SDK_ERROR_CODES = /* @__PURE__ */ deepFreeze([
  // generic input shape
  'INVALID_INPUT',
  'INVALID_LENGTH',
  'INVALID_HEX',
  'INVALID_ENCODING',
  'TOO_LARGE',
  'UNSUPPORTED_VERSION',
  // identity
  'INVALID_SESSION_ID',
  'INVALID_PREFIX',
  'INVALID_KEY',
  'SMALL_ORDER_KEY',
  'BAD_SIGNATURE',
  'BAD_MNEMONIC_CHECKSUM',
  'UNKNOWN_MNEMONIC_WORD',
  'INVALID_MNEMONIC_LENGTH',
  'INVALID_MNEMONIC',
  'UNKNOWN_LANGUAGE',
  // envelope, attachments, backups
  'DECRYPT_FAILED',
  'BAD_PADDING',
  'BAD_DIGEST',
  'BAD_PASSWORD',
  // onion and network
  'ONION_ERROR',
  'NODE_NOT_FOUND',
  'WRONG_SWARM',
  'CLOCK_SKEW',
  'SERVICE_UNAVAILABLE',
  'TIMEOUT',
  'TRANSPORT_ERROR',
  'INSUFFICIENT_NODES',
  'PATH_BUILD_FAILED',
  // config and groups
  'CONFIG_INVALID',
  'NO_KEY',
  'NOT_ADMIN',
  'REPLAY',
  'DESTROYED',
] as const);

/**
 * Stable string code carried by every {@link SessionSdkError}.
 *
 * @example
 * ```ts
 * const retryable: SessionSdkErrorCode[] = ['TIMEOUT', 'TRANSPORT_ERROR', 'SERVICE_UNAVAILABLE'];
 * if (isSessionSdkError(e) && retryable.includes(e.code)) retry();
 * ```
 */
export type SessionSdkErrorCode = (typeof SESSION_SDK_ERROR_CODES)[number];

/**
 * Marks SDK errors across module copies: an app that loads both the ESM and the CommonJS build
 * has two `SessionSdkError` classes, so {@link isSessionSdkError} checks this registered symbol
 * rather than `instanceof` alone.
 */
const BRAND = Symbol.for('session-sdk.SessionSdkError');

/**
 * The single error type thrown for bad input or failed verification.
 *
 * @example
 * ```ts
 * try { parseSessionId('05zz'); }
 * catch (e) { if (isSessionSdkError(e, 'INVALID_SESSION_ID')) console.log(e.message); }
 * ```
 */
export class SessionSdkError extends Error {
  /** Stable machine-readable code. */
  readonly code: SessionSdkErrorCode;

  /**
   * Creates an error with a stable `code` and a human-readable `message` (which must never
   * contain secret bytes); `options.cause` keeps the underlying error.
   *
   * @example
   * ```ts
   * throw new SessionSdkError('INVALID_LENGTH', 'seed must be 16 or 32 bytes');
   * ```
   */
  constructor(code: SessionSdkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionSdkError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Narrows an unknown thrown value to a {@link SessionSdkError}, optionally with one of `codes`.
 *
 * @example
 * ```ts
 * if (isSessionSdkError(err, 'DECRYPT_FAILED', 'BAD_SIGNATURE')) dropMessage();
 * ```
 */
export function isSessionSdkError(
  e: unknown,
  ...codes: SessionSdkErrorCode[]
): e is SessionSdkError {
  const branded = e instanceof SessionSdkError || (typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true);
  return branded && (codes.length === 0 || codes.includes((e as SessionSdkError).code));
}
