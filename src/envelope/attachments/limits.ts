/**
 * Attachment size limits and the option that lifts them (spec/identity-envelope.md §6). The
 * defaults match what Session's file server and onion requests accept; larger files need an
 * explicit `allowLarge: true` (libsession's `allow_large`).
 * @module
 */
import { SessionSdkError } from '../../errors.js';

/**
 * Largest plaintext the "S" scheme encrypts without `allowLarge` (libsession `MAX_REGULAR_SIZE`):
 * the largest size whose padded encryption is {@link ATTACHMENT_MAX_ENCRYPTED_SIZE}.
 *
 * @example
 * ```ts
 * const opts = { allowLarge: file.length > ATTACHMENT_MAX_REGULAR_SIZE }; // opt in knowingly
 * const enc = await encryptAttachment(identity.seed, file, opts);
 * ```
 */
export const ATTACHMENT_MAX_REGULAR_SIZE = 10_218_286;
/**
 * Largest encrypted attachment (either scheme) accepted for decryption without `allowLarge`
 * (libsession `LEGACY_MAX_ENCRYPTED_SIZE`, the file server's limit).
 *
 * @example
 * ```ts
 * if (downloaded.length > ATTACHMENT_MAX_ENCRYPTED_SIZE) throw new Error('larger than the file server allows');
 * ```
 */
export const ATTACHMENT_MAX_ENCRYPTED_SIZE = 10_223_616;
/**
 * Largest plaintext the legacy scheme encrypts without `allowLarge` (session-desktop `MAX_ATTACHMENT_FILESIZE_BYTES`).
 *
 * @example
 * ```ts
 * if (file.length > LEGACY_ATTACHMENT_MAX_SIZE) showTooLargeDialog(); // encryptLegacyAttachment would throw TOO_LARGE
 * ```
 */
export const LEGACY_ATTACHMENT_MAX_SIZE = 10_000_000;

/**
 * Progress of a streaming attachment operation: which pass (`'hash'` is the first of the two
 * passes of deterministic encryption), input bytes consumed so far in it, and the total when known.
 *
 * @example
 * ```ts
 * const onProgress = (e: AttachmentProgressEvent) => bar.update(e.phase, e.total ? e.processed / e.total : undefined);
 * const enc = await encryptAttachmentStream(identity.seed, () => file.stream(), { onProgress });
 * ```
 */
export interface AttachmentProgressEvent {
  /** Which pass is running. */
  phase: 'hash' | 'encrypt' | 'decrypt';
  /** Input bytes consumed so far in this pass. */
  processed: number;
  /** Total input bytes of the pass, when known. */
  total?: number;
}

/**
 * Optional callback of the streaming functions; called after each piece of input.
 *
 * @example
 * ```ts
 * const onProgress: AttachmentProgress = ({ phase, processed }) => console.log(phase, processed);
 * for await (const piece of decryptAttachmentStream(download(), key, { onProgress })) save(piece);
 * ```
 */
export type AttachmentProgress = (event: AttachmentProgressEvent) => void;

/** Throws `TOO_LARGE` when `size` exceeds `limit` and the caller did not opt in. */
export function checkAttachmentLimit(size: number, limit: number, allowLarge: boolean | undefined, what: string): void {
  if (size > limit && allowLarge !== true) {
    throw new SessionSdkError(
      'TOO_LARGE',
      `${what} is ${size} bytes, over the ${limit}-byte limit; pass { allowLarge: true } to accept larger files`,
    );
  }
}
