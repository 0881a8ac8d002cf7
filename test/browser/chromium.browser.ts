// Real-browser test (issue 7, "Ecosystem"): the BUILT package (dist/, ESM, resolved through
// package.json "exports" like any app would) is bundled for the browser with esbuild, served from
// 127.0.0.1 and run in headless Debian Chromium driven by playwright-core. The page runs
// scenario.ts (identity + mnemonic, 1:1 encrypt/decrypt, a group message, onion builds with
// injected layers, config encryption, upstream anchor vectors) under both crypto providers, and
// every output byte must equal the same calls made in Node on dist/. The page bundle is tested
// both unminified and minified.
//
// Skipped when /usr/bin/chromium is absent (`apt-get install -y chromium`) unless
// SESSION_SDK_REQUIRE_BROWSER=1 (CI), which turns the skip into a failure so a missing browser
// cannot pass silently. Fails loudly when dist/ is missing.
// Run: `npm run build && vitest run --config test/browser/vitest.config.ts`.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type AnchorVectors, type ProviderName, type ScenarioResult, type SessionSdk } from './scenario.js';

const CHROMIUM = process.env.SESSION_SDK_CHROMIUM ?? '/usr/bin/chromium';
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const PROVIDERS: ProviderName[] = ['noble', 'webcrypto'];
/** The page bundle as in development and as an app ships it (minification must not change bytes). */
const VARIANTS = ['plain', 'minified'] as const;
type Variant = (typeof VARIANTS)[number];
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

declare global {
  // Set by the page bundle (see ENTRY).
  var sessionSdkScenario: ((p: ProviderName, v: AnchorVectors) => Promise<ScenarioResult>) | undefined;
}

// The bundle entry is passed on stdin so that no checked-in file imports `session-sdk` by name
// (that only type-checks after a build, and CI type-checks first). resolveDir = test/browser:
// esbuild finds the root package.json named session-sdk and resolves the self-reference through
// its "exports" with the browser/import conditions — the dist/ ESM files.
const ENTRY = `
import * as sdk from 'session-sdk';
import { runScenario } from './scenario.ts';
globalThis.sessionSdkScenario = (provider, vectors) => runScenario(sdk, provider, vectors);
document.getElementById('status').textContent = 'ready';
`;

const loadJson = <T,>(rel: string): T => JSON.parse(readFileSync(join(ROOT, 'test-vectors', rel), 'utf8')) as T;

const HAVE_CHROMIUM = existsSync(CHROMIUM);

describe.runIf(!HAVE_CHROMIUM && process.env.SESSION_SDK_REQUIRE_BROWSER === '1')('browser required', () => {
  it(`finds Chromium at ${CHROMIUM}`, () => {
    expect.fail(`SESSION_SDK_REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist (apt-get install -y chromium)`);
  });
});

describe.skipIf(!HAVE_CHROMIUM)('built package in headless Chromium matches Node byte for byte', () => {
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let userDataDir: string | undefined;
  let anchors: AnchorVectors;
  let inNode: Record<ProviderName, ScenarioResult>;
  const pages = new Map<Variant, Page>();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before the browser test');
    anchors = {
      identity: loadJson('identity-envelope/identity.json'),
      sessionEncrypt: loadJson('identity-envelope/session-encrypt.json'),
    };
    // The reference: the same scenario on dist/ in Node (sequentially: the provider is global).
    const sdk = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as SessionSdk;
    inNode = { noble: await runScenario(sdk, 'noble', anchors), webcrypto: await runScenario(sdk, 'webcrypto', anchors) };

    const files = new Map<string, { type: string; body: Uint8Array }>();
    const html = readFileSync(join(HERE, 'page.html'));
    for (const variant of VARIANTS) {
      const bundle = await build({
        stdin: { contents: ENTRY, resolveDir: HERE, loader: 'ts', sourcefile: 'browser-entry.ts' },
        bundle: true,
        minify: variant === 'minified',
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      // What went into the page is the built package, never the TypeScript sources.
      const inputs = Object.keys(bundle.metafile.inputs);
      if (!inputs.some((f) => /(^|\/)dist\/index\.js$/.test(f)) || inputs.some((f) => !f.includes('node_modules/') && /(^|\/)src\//.test(f))) {
        throw new Error(`page bundle must come from dist/, got inputs: ${inputs.filter((f) => !f.includes('node_modules')).join(', ')}`);
      }
      files.set(`/${variant}/`, { type: 'text/html; charset=utf-8', body: html });
      files.set(`/${variant}/bundle.js`, { type: 'text/javascript; charset=utf-8', body: bundle.outputFiles[0]!.contents });
    }
    server = createServer((req, res) => {
      const file = files.get(req.url ?? '');
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    userDataDir = mkdtempSync(join(tmpdir(), 'session-sdk-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    for (const variant of VARIANTS) {
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(`${variant}: ${String(e)}`));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(`${variant}: ${m.text()}`);
      });
      await page.goto(`http://127.0.0.1:${port}/${variant}/`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 60_000 });
      pages.set(variant, page);
    }
  });

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('the page is a secure context with crypto.subtle; native Ed25519/X25519 logged', async () => {
    const info = await pages.get('plain')!.evaluate(async () => {
      const probe = async (alg: string, usages: KeyUsage[]) => {
        try {
          await crypto.subtle.generateKey({ name: alg } as AlgorithmIdentifier, false, usages);
          return true;
        } catch {
          return false;
        }
      };
      return {
        secure: globalThis.isSecureContext,
        subtle: typeof crypto.subtle === 'object',
        ed25519: await probe('Ed25519', ['sign', 'verify']),
        x25519: await probe('X25519', ['deriveBits']),
        ua: navigator.userAgent,
      };
    });
    console.log(`[browser] ${info.ua} | native Ed25519 ${info.ed25519} | native X25519 ${info.x25519}`);
    expect(info.secure).toBe(true);
    expect(info.subtle).toBe(true);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });

  for (const variant of VARIANTS) {
    for (const provider of PROVIDERS) {
      it(`identity, 1:1, group, onion and config bytes equal Node's [${variant} bundle, ${provider}]`, async () => {
        const inBrowser = await pages.get(variant)!.evaluate(([p, v]) => globalThis.sessionSdkScenario!(p, v), [provider, anchors] as const);
        const expected = inNode[provider];
        // Sanity: the scenario really produced every family of outputs.
        for (const prefix of ['anchors.', 'identity.', 'mnemonic.', 'envelope.', 'groups.', 'onion.', 'config.', 'random.', 'errors.']) {
          expect(Object.keys(expected).some((k) => k.startsWith(prefix)), prefix).toBe(true);
        }
        expect(Object.keys(inBrowser)).toEqual(Object.keys(expected));
        for (const k of Object.keys(expected)) expect(inBrowser[k], k).toBe(expected[k]);
        expect(pageErrors, pageErrors.join('\n')).toEqual([]);
      });
    }
  }

  it('noble and webcrypto give the same bytes (Node)', () => {
    expect(inNode.webcrypto).toEqual(inNode.noble);
  });
});
