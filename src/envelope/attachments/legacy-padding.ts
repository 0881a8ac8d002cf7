/**
 * Sender-side size padding of legacy attachments (spec/identity-envelope.md §6.1;
 * session-desktop `ts/session/crypto/BufferPadding.ts` `addAttachmentPadding`): zeros appended up
 * to the next power of 1.05 (at least 541 bytes), computed in IEEE doubles exactly as the desktop
 * client does. The receiver cuts the plaintext back to `AttachmentPointer.size`.
 * @module
 */
import { SessionSdkError } from '../../errors.js';
import { LEGACY_ATTACHMENT_MAX_SIZE } from './limits.js';

/**
 * Padded length for a `size`-byte legacy attachment: `max(541, ⌊1.05^⌈log(size)/log(1.05)⌉⌋)`,
 * capped at 10 000 000 when the file itself fits in that. Never less than `size` (the desktop
 * client would crash where rounding made it so; we keep the file intact instead).
 *
 * @example
 * ```ts
 * legacyAttachmentPaddedSize(1000); // 1020
 * ```
 */
export function legacyAttachmentPaddedSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new SessionSdkError('INVALID_INPUT', 'size must be a non-negative safe integer');
  // Math.pow/Math.log on purpose (not **): the result must match desktop's doubles bit for bit.
  // eslint-disable-next-line prefer-exponentiation-operator
  let padded = Math.max(541, Math.floor(Math.pow(1.05, Math.ceil(Math.log(size) / Math.log(1.05)))));
  if (padded > LEGACY_ATTACHMENT_MAX_SIZE && size <= LEGACY_ATTACHMENT_MAX_SIZE) padded = LEGACY_ATTACHMENT_MAX_SIZE;
  return Math.max(padded, size);
}
