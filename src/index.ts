/**
 * session-sdk: the Session messenger protocol in TypeScript, byte-compatible with
 * libsession-util. Each module is also available on its own subpath (`session-sdk/identity`, …).
 * @module session-sdk
 */
export * from './errors.js';
export {
  getCryptoProvider,
  setCryptoProvider,
  nobleProvider,
  webCryptoProvider,
  type CryptoProvider,
} from './crypto/provider.js';
export * from './identity/index.js';
export * from './envelope/index.js';
export * from './onion/index.js';
export * from './config/index.js';
export * from './groups/index.js';
