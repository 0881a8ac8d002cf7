/**
 * `session-sdk/config`: libsession's mergeable, encrypted config messages (spec/config.md) —
 * account sync (UserProfile, Contacts, ConvoInfoVolatile, UserGroups) and groups-v2 Info/Members.
 *
 * Layers, bottom up: the data tree ({@link ConfigSet}, `ConfigDict`), the message format and its
 * hash ({@link parseConfigMessage}, {@link serializeConfigMessage}, {@link configMessageHash}), the
 * deterministic merge ({@link resolveConfigMessages}), encryption and payload framing
 * ({@link configEncrypt}, {@link encodeConfigPayload}), the per-config life cycle
 * ({@link ConfigState}: merge / push / confirmPushed / dump) with typed accessors per type, and
 * sync over a swarm ({@link syncConfig}, {@link restoreUserConfigs}).
 * @module config
 */
export { ConfigSet, isConfigDict, isConfigSet, isConfigScalar, type ConfigScalar, type ConfigDict, type ConfigValue } from './value.js';
export type { ConfigDiff, ConfigDiffNode, ConfigSetDiff } from './diff.js';
export {
  DEFAULT_CONFIG_LAG,
  configMessageHash,
  createConfigMessage,
  emptyConfigMessage,
  incrementConfigMessage,
  parseConfigMessage,
  serializeConfigMessage,
  type ConfigMessage,
  type ConfigParseOptions,
  type ConfigSerializeOptions,
  type ConfigSigner,
  type ConfigVerifier,
  type LaggedDiff,
} from './message.js';
export { mutableFromResolved, resolveConfigMessages, type ConfigResolveOptions, type ConfigResolveResult } from './merge.js';
export * from './encrypt.js';
export * from './payload.js';
export * from './protobuf-wrap.js';
export * from './state.js';
export { CONFIG_NAME_MAX_LENGTH, PROFILE_PIC_MAX_URL_LENGTH, type ProfilePicture } from './fields.js';
export * from './community.js';
export { ContactsConfig, type Contact, type ExpirationMode, type NotifyMode } from './contacts.js';
export * from './convo-info-volatile.js';
export * from './user-groups.js';
export * from './user-profile.js';
export * from './group-info.js';
export * from './group-members.js';
export * from './sync.js';
export * from './onion-swarm.js';
