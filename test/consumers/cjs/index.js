// @ts-check
// CommonJS consumer of the packed tarball: `require` of the module subpaths (resolved through the
// "require" conditions to dist/*.cjs and, for `tsc --checkJs`, dist/*.d.cts), `require` of every
// subpath in the package's "exports", and the shared smoke checks. Prints one JSON line for
// scripts/check-package.sh, which must equal the ESM consumer's.
'use strict';
const root = require('session-sdk');
const config = require('session-sdk/config');
const envelope = require('session-sdk/envelope');
const groups = require('session-sdk/groups');
const identity = require('session-sdk/identity');
const { identityFromSeed } = require('session-sdk/identity');
const node = require('session-sdk/node');
const onion = require('session-sdk/onion');
const shared = require('./smoke.cjs');

// Typed use (checked by `tsc --checkJs` against the CommonJS declarations).
/** @type {import('session-sdk').Identity} */
const me = identityFromSeed(new Uint8Array(32));
/** @type {string} */
const sessionId = me.sessionId;
if (!/^05[0-9a-f]{64}$/.test(sessionId)) throw new Error('typed identity');

// Every subpath the package exports, each resolved to the CommonJS build (Node >= 20.19 could also
// require() the ESM files, which would hide a broken "require" condition).
const pkg = require('session-sdk/package.json');
/** @type {Record<string, any>} */
const modules = {};
for (const subpath of shared.subpathsOf(pkg)) {
  const spec = shared.specifierOf(subpath);
  const file = require.resolve(spec);
  if (!file.endsWith('.cjs') || !file.includes('/node_modules/session-sdk/dist/')) throw new Error(`${spec} resolved to ${file}`);
  modules[shared.keyOf(subpath)] = require(spec);
}
const statics = { root, identity, envelope, onion, groups, config, node };
for (const [k, mod] of Object.entries(statics)) {
  if (modules[k] !== mod) throw new Error(`require of ${k} gave two different module objects`);
}

shared.smoke(modules).then(
  (result) => console.log(JSON.stringify(result)),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
