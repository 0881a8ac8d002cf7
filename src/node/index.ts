/**
 * `session-sdk/node`: Node-only parts (HTTP transport to service nodes).
 * @module node
 */
export * from './http-transport.js';
