// @ts-check
// ESM consumer of the packed tarball: static `import` of the module subpaths (resolved through the
// "import" conditions to dist/*.js and, for `tsc --checkJs`, dist/*.d.ts), dynamic import of every
// subpath in the package's "exports", the shared smoke checks, and the installed `session-sdk` bin.
// Prints one JSON line for scripts/check-package.sh.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as root from 'session-sdk';
import * as config from 'session-sdk/config';
import * as envelope from 'session-sdk/envelope';
import * as groups from 'session-sdk/groups';
import * as identity from 'session-sdk/identity';
import { identityFromSeed, mnemonicDecode } from 'session-sdk/identity';
import * as node from 'session-sdk/node';
import * as onion from 'session-sdk/onion';
import shared from './smoke.cjs';

// Typed use (checked by `tsc --checkJs` against the ESM declarations).
/** @type {import('session-sdk').Identity} */
const me = identityFromSeed(new Uint8Array(32));
/** @type {string} */
const sessionId = me.sessionId;
if (!/^05[0-9a-f]{64}$/.test(sessionId)) throw new Error('typed identity');

// Every subpath the package exports, each resolved to the ESM build.
const pkg = createRequire(import.meta.url)('session-sdk/package.json');
/** @type {Record<string, any>} */
const modules = {};
for (const subpath of shared.subpathsOf(pkg)) {
  const spec = shared.specifierOf(subpath);
  const url = import.meta.resolve(spec);
  if (!url.endsWith('.js') || !url.includes('/node_modules/session-sdk/dist/')) throw new Error(`${spec} resolved to ${url}`);
  modules[shared.keyOf(subpath)] = await import(spec);
}
const statics = { root, identity, envelope, onion, groups, config, node };
for (const [k, ns] of Object.entries(statics)) {
  if (modules[k] !== ns) throw new Error(`static and dynamic import of ${k} differ`);
}

const result = await shared.smoke(modules);

// The bin: restore the upstream identity from its 13 words on stdin (never argv).
const bin = fileURLToPath(new URL('./node_modules/.bin/session-sdk', import.meta.url));
const phrase = String(result.identity && /** @type {{ phrase: string }} */ (result.identity).phrase);
const cli = JSON.parse(execFileSync(bin, ['id', 'restore', '-', '--json'], { input: phrase, encoding: 'utf8' }));
if (cli.sessionId !== shared.UPSTREAM_SESSION_ID) throw new Error(`CLI restored ${cli.sessionId}`);
if (mnemonicDecode(phrase).length !== 16) throw new Error('phrase decodes to 16 bytes');

console.log(JSON.stringify(result));
