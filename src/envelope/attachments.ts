/**
 * Attachments (spec/identity-envelope.md §6): the legacy AES-256-CBC + HMAC-SHA256 scheme every
 * Session client still sends, and libsession's deterministic "S" secretstream scheme, each as
 * one-shot functions and as streams with bounded memory.
 * @module
 */
export {
  ATTACHMENT_MAX_REGULAR_SIZE,
  ATTACHMENT_MAX_ENCRYPTED_SIZE,
  LEGACY_ATTACHMENT_MAX_SIZE,
  type AttachmentProgress,
  type AttachmentProgressEvent,
} from './attachments/limits.js';
export type { AttachmentSource } from './attachments/source.js';
export type { AttachmentDomain } from './attachments/key-derivation.js';
export {
  ATTACHMENT_CHUNK_SIZE,
  attachmentPaddingSize,
  attachmentEncryptedSize,
  attachmentDecryptedMaxSize,
} from './attachments/deterministic-format.js';
export {
  encryptAttachment,
  decryptAttachment,
  type EncryptAttachmentOptions,
  type EncryptedAttachment,
  type DecryptAttachmentOptions,
} from './attachments/deterministic.js';
export {
  encryptAttachmentStream,
  decryptAttachmentStream,
  type EncryptAttachmentStreamOptions,
  type EncryptedAttachmentStream,
  type DecryptAttachmentStreamOptions,
} from './attachments/deterministic-stream.js';
export { legacyAttachmentPaddedSize } from './attachments/legacy-padding.js';
export {
  encryptLegacyAttachment,
  decryptLegacyAttachment,
  type EncryptLegacyAttachmentOptions,
  type EncryptedLegacyAttachment,
  type DecryptLegacyAttachmentOptions,
} from './attachments/legacy.js';
export {
  encryptLegacyAttachmentStream,
  decryptLegacyAttachmentStream,
  type EncryptLegacyAttachmentStreamOptions,
  type EncryptedLegacyAttachmentStream,
  type LegacyAttachmentStreamResult,
  type DecryptLegacyAttachmentStreamOptions,
} from './attachments/legacy-stream.js';
