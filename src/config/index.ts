/**
 * `session-sdk/config`: libsession's mergeable, encrypted config messages (spec/config.md) —
 * account sync (UserProfile, Contacts, ConvoInfoVolatile, UserGroups) and groups-v2 Info/Members.
 * @module config
 */
export * from './value.js';
export * from './diff.js';
export * from './message.js';
export * from './merge.js';
export * from './encrypt.js';
export * from './payload.js';
export * from './protobuf-wrap.js';
export * from './state.js';
export * from './fields.js';
export * from './user-profile.js';
export * from './community.js';
export * from './contacts.js';
export * from './convo-info-volatile.js';
export * from './user-groups.js';
export * from './group-info.js';
export * from './group-members.js';
export * from './sync.js';
export * from './onion-swarm.js';
