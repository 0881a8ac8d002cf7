// Guard for the project standard "every export has vector tests and negative tests": every runtime
// export of the package's entry points must be named, as a whole word outside a comment, in at
// least one test file. Read from src (tests run before the build in CI). It cannot judge whether
// the tests are good; it catches an export nobody tests at all. Files under test/docs/ do not
// count: they check documentation, not behaviour.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as config from '../../src/config/index.js';
import * as envelope from '../../src/envelope/index.js';
import * as groups from '../../src/groups/index.js';
import * as identity from '../../src/identity/index.js';
import * as sdk from '../../src/index.js';
import * as mnemonicLanguages from '../../src/mnemonic-languages.js';
import * as node from '../../src/node/index.js';
import * as onion from '../../src/onion/index.js';

const TEST_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const SELF = fileURLToPath(import.meta.url);

/** Every package entry point (package.json "exports"), by subpath. */
const ENTRY_POINTS: Record<string, object> = {
  '.': sdk,
  './identity': identity,
  './envelope': envelope,
  './onion': onion,
  './config': config,
  './groups': groups,
  './mnemonic-languages': mnemonicLanguages,
  './node': node,
};

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== join(TEST_DIR, 'docs') && e.name !== 'node_modules') out.push(...testFiles(p));
    } else if (/\.(ts|js|cjs|mjs)$/.test(e.name) && p !== SELF) {
      out.push(p);
    }
  }
  return out;
}

/**
 * Drops JSDoc / block comments and whole-line `//` comments (the ones that start a line), so a
 * name merely mentioned in prose does not count. Trailing `// …` after code is kept: telling it
 * apart from `//` inside a string or regex would need a real lexer.
 */
function stripComments(src: string): string {
  return src.replace(/^[ \t]*\/\*[\s\S]*?\*\//gm, '').replace(/^[ \t]*\/\/.*$/gm, '');
}

/** Whole words (identifier characters) of every counted test file, with one file each for hints. */
function wordsInTests(): Map<string, string> {
  const words = new Map<string, string>();
  for (const f of testFiles(TEST_DIR)) {
    for (const w of stripComments(readFileSync(f, 'utf8')).match(/[A-Za-z0-9_$]+/g) ?? []) {
      if (!words.has(w)) words.set(w, relative(TEST_DIR, f));
    }
  }
  return words;
}

describe('every runtime export is named by a test', () => {
  const words = wordsInTests();
  const exported = new Map<string, string[]>();
  for (const [entry, mod] of Object.entries(ENTRY_POINTS)) {
    for (const name of Object.keys(mod)) exported.set(name, [...(exported.get(name) ?? []), entry]);
  }

  it('finds the entry points and the test files it scans', () => {
    expect(exported.size).toBeGreaterThan(300);
    expect(words.size).toBeGreaterThan(1000);
    // The subpaths are views of the root: every name they export is exported from '.' too.
    const root = new Set(Object.keys(sdk));
    const missing = Object.entries(ENTRY_POINTS)
      .filter(([entry]) => entry !== '.' && entry !== './node' && entry !== './mnemonic-languages')
      .flatMap(([entry, mod]) => Object.keys(mod).filter((n) => !root.has(n)).map((n) => `${entry}: ${n}`));
    expect(missing).toEqual([]);
  });

  it('the comment filter only drops comments', () => {
    const src = "/**\n * A Foo.\n */\nconst a = Bar; // Baz\n  // Qux\nconst url = 'https://x/*'; Quux;\n";
    const kept = stripComments(src).match(/[A-Za-z]+/g);
    expect(kept).toEqual(expect.arrayContaining(['Bar', 'Baz', 'url', 'https', 'x', 'Quux']));
    expect(kept).not.toContain('Foo');
    expect(kept).not.toContain('Qux');
  });

  it('no export is missing from the tests', () => {
    const offenders = [...exported].filter(([name]) => !words.has(name)).map(([name, entries]) => `${name} (${entries.join(', ')})`);
    if (offenders.length) console.error(`exports no test names (outside comments):\n  ${offenders.join('\n  ')}`);
    expect(offenders).toEqual([]);
  });
});
