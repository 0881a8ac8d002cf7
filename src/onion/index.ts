/**
 * `session-sdk/onion`: per-hop encryption, onion requests and responses, swarms, signed storage
 * requests, service-node pools and paths. Transports that need Node live in `session-sdk/node`.
 * @module onion
 */
export * from './hop.js';
export * from './onion-request.js';
export * from './onion-response.js';
export * from './swarm.js';
export * from './storage.js';
export * from './snode-pool.js';
export * from './path.js';
export * from './transport.js';
export * from './frame.js';
export * from './v4.js';
export * from './relay.js';
export * from './onion-client.js';
