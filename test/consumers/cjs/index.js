// @ts-check
// CommonJS consumer of the packed tarball: `require` of every subpath (resolved through the
// "require" conditions to dist/*.cjs and, for `tsc --checkJs`, dist/*.d.cts) and the shared smoke
// checks. Prints one JSON line for scripts/check-package.sh, which must equal the ESM consumer's.
'use strict';
const root = require('session-sdk');
const config = require('session-sdk/config');
const envelope = require('session-sdk/envelope');
const groups = require('session-sdk/groups');
const identity = require('session-sdk/identity');
const { identityFromSeed } = require('session-sdk/identity');
const node = require('session-sdk/node');
const onion = require('session-sdk/onion');
const { smoke } = require('./smoke.cjs');

// Typed use (checked by `tsc --checkJs` against the CommonJS declarations).
/** @type {import('session-sdk').Identity} */
const me = identityFromSeed(new Uint8Array(32));
/** @type {string} */
const sessionId = me.sessionId;
if (!/^05[0-9a-f]{64}$/.test(sessionId)) throw new Error('typed identity');

// Every subpath resolved to the CommonJS build (Node >= 20.19 could also require() the ESM files,
// which would hide a broken "require" condition).
for (const sub of ['', '/identity', '/envelope', '/onion', '/config', '/groups', '/node']) {
  const file = require.resolve(`session-sdk${sub}`);
  if (!file.endsWith('.cjs') || !file.includes('/node_modules/session-sdk/dist/')) throw new Error(`session-sdk${sub} resolved to ${file}`);
}

smoke({ root, identity, envelope, onion, groups, config, node }).then(
  (result) => console.log(JSON.stringify(result)),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
