// Bundle-size check (issue 7, "Ecosystem"): bundles the BUILT package (dist/) for the browser the
// way an app bundler would (esbuild, ESM, minified, tree-shaken), compresses each bundle and fails
// when one exceeds its gzip budget in scripts/bundle-budget.json.
//
// Two kinds of rows:
//   - "whole subpath": `export * from 'session-sdk/<sub>'` — the ceiling, every export kept;
//   - "typical import": a few named imports — what tree shaking leaves for a normal app.
// Every public subpath in package.json "exports" (except Node-only ./node) must have a whole-
// subpath budget, so a new subpath cannot slip in unmeasured. platform 'browser' also makes the
// bundle fail if any module reached from a subpath imports a Node builtin.
//
// Run after `npm run build`:
//   npx tsx scripts/bundle-size.ts              print the table, exit 1 if over budget
//   npx tsx scripts/bundle-size.ts --markdown   the same table as Markdown (for the README)
//   npx tsx scripts/bundle-size.ts --json       machine-readable rows
//   npx tsx scripts/bundle-size.ts --suggest    a budget file with 20% headroom over today's sizes
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PKG = 'session-sdk';
/** Subpaths that are Node-only by design and never bundled for browsers. */
const NODE_ONLY = new Set(['./node', './package.json']);

/** Named imports a typical app makes; tree shaking must keep these small. Names are API.md's. */
const TYPICAL: Record<string, { from: string; names: string[] }> = {
  'identity: identityFromSeed': { from: 'identity', names: ['identityFromSeed'] },
  'identity: + mnemonic': { from: 'identity', names: ['identityFromSeed', 'mnemonicEncode', 'mnemonicDecode'] },
  'envelope: 1:1 encrypt/decrypt': { from: 'envelope', names: ['encryptForRecipient', 'decryptIncoming'] },
  'onion: build + decrypt response': { from: 'onion', names: ['buildOnionRequest', 'decryptOnionResponse'] },
  'groups: keys + messages': {
    from: 'groups',
    names: ['createGroupKeys', 'rekey', 'loadKeyMessage', 'encryptGroupMessage', 'decryptGroupMessage'],
  },
  'config: encrypt/decrypt': { from: 'config', names: ['configEncrypt', 'configDecrypt'] },
  'mnemonic-languages: one list': { from: 'mnemonic-languages', names: ['MNEMONIC_FRENCH'] },
};

interface Row {
  name: string;
  minified: number;
  gzip: number;
  brotli: number;
  budgetGzip: number;
  ok: boolean;
}

const specifier = (sub: string): string => (sub === '.' ? PKG : `${PKG}/${sub.replace(/^\.\//, '')}`);

async function measure(contents: string): Promise<{ minified: number; gzip: number; brotli: number }> {
  const out = await build({
    // resolveDir = the package root: esbuild resolves `session-sdk/...` as a self-reference through
    // package.json "exports" (browser + import conditions), i.e. exactly what a consumer gets.
    stdin: { contents, resolveDir: ROOT, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    treeShaking: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.contents;
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    console.error('dist/ is missing: run `npm run build` first');
    return 2;
  }
  const budget = JSON.parse(readFileSync(join(ROOT, 'scripts', 'bundle-budget.json'), 'utf8')) as Record<string, number>;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const subpaths = Object.keys(pkg.exports).filter((s) => !NODE_ONLY.has(s));

  const entries: { name: string; contents: string }[] = [
    ...subpaths.map((s) => ({ name: specifier(s), contents: `export * from '${specifier(s)}';` })),
    ...Object.entries(TYPICAL).map(([name, t]) => ({
      name,
      contents: `export { ${t.names.join(', ')} } from '${specifier(`./${t.from}`)}';`,
    })),
  ];
  const problems: string[] = [];
  for (const key of Object.keys(budget)) {
    if (!entries.some((e) => e.name === key)) problems.push(`budget "${key}" matches no measured entry`);
  }

  const rows: Row[] = [];
  for (const e of entries) {
    let m;
    try {
      m = await measure(e.contents);
    } catch (err) {
      const msg = (err as { errors?: { text: string }[] }).errors?.map((x) => x.text).join('; ') ?? String(err);
      problems.push(`${e.name}: bundling failed: ${msg}`);
      continue;
    }
    const limitKiB = budget[e.name];
    if (typeof limitKiB !== 'number') problems.push(`no budget for "${e.name}" in scripts/bundle-budget.json`);
    const budgetGzip = typeof limitKiB === 'number' ? Math.round(limitKiB * 1024) : 0;
    rows.push({ name: e.name, ...m, budgetGzip, ok: m.gzip <= budgetGzip });
  }

  const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
  if (args.has('--suggest')) {
    // Re-baselining is a deliberate act: print, review, then commit the new budget file.
    const suggestion = Object.fromEntries(rows.map((r) => [r.name, Math.ceil((r.gzip * 1.2) / 1024)]));
    console.log(JSON.stringify(suggestion, null, 2));
    return problems.some((p) => p.includes('bundling failed')) ? 1 : 0;
  }
  if (args.has('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else if (args.has('--markdown')) {
    console.log('| entry | minified | gzip | brotli | gzip budget |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of rows) {
      const t = TYPICAL[r.name];
      const name = t ? `\`{ ${t.names.join(', ')} }\` from \`${specifier(`./${t.from}`)}\`` : `\`${r.name}\` (all exports)`;
      console.log(`| ${name} | ${kib(r.minified)} | ${kib(r.gzip)} | ${kib(r.brotli)} | ${kib(r.budgetGzip)} |`);
    }
  } else {
    const w = Math.max(...rows.map((r) => r.name.length), 5);
    console.log(`${'entry'.padEnd(w)}  ${'minified'.padStart(11)}  ${'gzip'.padStart(11)}  ${'brotli'.padStart(11)}  ${'budget'.padStart(11)}`);
    for (const r of rows) {
      const cols = [r.minified, r.gzip, r.brotli, r.budgetGzip].map((n) => kib(n).padStart(11)).join('  ');
      console.log(`${r.name.padEnd(w)}  ${cols}  ${r.ok ? 'ok' : r.budgetGzip ? 'OVER BUDGET' : 'NO BUDGET'}`);
    }
  }
  const over = rows.filter((r) => !r.ok && r.budgetGzip > 0);
  for (const r of over) problems.push(`${r.name}: ${kib(r.gzip)} gzip > budget ${kib(r.budgetGzip)}`);
  for (const p of problems) console.error(`bundle-size: ${p}`);
  return problems.length ? 1 : 0;
}

process.exitCode = await main();
