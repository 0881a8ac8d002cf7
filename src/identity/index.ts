/**
 * `session-sdk/identity`: seeds, keys, Session IDs, recovery phrases and community blinding.
 * @module identity
 */
export * from './keys.js';
export * from './session-id.js';
export * from './verify.js';
export * from './mnemonic.js';
export * from './bip39.js';
export * from './blinding.js';
export * from './sogs-auth.js';
export * from './blind-sign.js';
