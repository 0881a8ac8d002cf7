/**
 * `session-sdk/groups`: groups-v2 keyrings, keys messages, group messages, member swarm access,
 * removals, and read support for legacy closed groups (spec/groups.md).
 * @module groups
 */
export * from './multi-encrypt.js';
export * from './keys-message.js';
export * from './group-keys.js';
export * from './rekey.js';
export * from './load-key-message.js';
export * from './message.js';
export * from './subaccount.js';
export * from './admin-signatures.js';
export * from './legacy-proto.js';
export * from './legacy.js';
export * from './removal.js';
export * from './group-content.js';
export { zstdCompress } from '../util/zstd-compress.js';
export { zstdDecompressBounded } from '../util/zstd.js';
export * from './group-key-pair.js';
