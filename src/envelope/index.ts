/**
 * `session-sdk/envelope`: 1:1 messages, blinded community DMs, padding, wire framing, the
 * portable CBOR envelope, identity backups and attachments.
 * @module envelope
 */
export * from './session-protocol.js';
export * from './padding.js';
export * from './blinded-dm.js';
export * from './wire.js';
export * from './portable-envelope.js';
export * from './identity-backup.js';
export * from './attachments.js';
export * from './service-payloads.js';
export * from './direct-message.js';
export * from './replay-guard.js';
