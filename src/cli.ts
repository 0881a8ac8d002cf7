/**
 * The `session-sdk` command line (Node only; built to dist/cli.js with a shebang).
 *
 * ```sh
 * session-sdk id new [--words 13|25] [--json]
 * session-sdk id restore "<words>" [--json]
 * echo "<words>" | session-sdk id restore -
 * session-sdk vectors verify [dir]
 * ```
 *
 * The logic is {@link runCliAsync} (every command) and {@link runCli} (the synchronous `id`
 * commands), pure functions of their arguments (plus an injected stdin reader) so they can be
 * tested without spawning a process. Exit codes: 0 success, 1 invalid input (the message is the
 * {@link SessionSdkError}'s) or a failed vector, 2 usage error.
 * @module
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isSessionSdkError } from './errors.js';
import { destroyIdentity, generateIdentity, identityFromSeed } from './identity/keys.js';
import { mnemonicDecode, mnemonicEncode } from './identity/mnemonic.js';
import { formatVectorReport, verifyVectorDirectory } from './vectors/verify.js';

/** What a CLI run produced: text for stdout and stderr, and the process exit code. */
export interface CliResult {
  stdout: string;
  stderr: string;
  code: 0 | 1 | 2;
}

/** Injected environment for {@link runCli}; tests pass a fake stdin. */
export interface CliEnv {
  /** Returns all of standard input; called only for `id restore -`. */
  readStdin?: () => string;
}

export const USAGE = `Usage: session-sdk <command>

Commands:
  id new [--words 13|25] [--json]   Create a Session identity and print its Session ID and
                                    recovery phrase (25 words by default; 13 words is the
                                    16-byte form today's Session apps create)
  id restore "<words>" [--json]     Print the Session ID of a recovery phrase (12, 13, 24 or
                                    25 words; 3-letter prefixes and any case are accepted)
  id restore -                      Same, reading the phrase from standard input (until end of
                                    input), which keeps it out of shell history and process
                                    listings
  vectors verify [dir]              Run the test vectors in dir (default: ./test-vectors,
                                    relative to the current directory; the npm package does
                                    not ship them, use a checkout of the repository or your
                                    own files with the same layout and schemas) through this
                                    SDK and print a table per module: vectors run, passed,
                                    failed, skipped (with the reason)
  help, --help, -h                  Show this help

Exit codes: 0 success, 1 invalid input or a failed vector, 2 usage error.
`;

class UsageError extends Error {}

interface Parsed {
  positional: string[];
  words?: string;
  json: boolean;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Parsed {
  const out: Parsed = { positional: [], json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--json') out.json = true;
    else if (a === '--words') {
      if (i + 1 >= argv.length) throw new UsageError('--words needs a value: 13 or 25');
      out.words = argv[++i]!;
    } else if (a.startsWith('--words=')) out.words = a.slice('--words='.length);
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else out.positional.push(a);
  }
  return out;
}

function idNew(p: Parsed): CliResult {
  if (p.positional.length !== 2) throw new UsageError('id new takes no arguments besides --words and --json');
  const words = p.words ?? '25';
  if (words !== '13' && words !== '25') throw new UsageError('--words must be 13 or 25');
  const id = generateIdentity({ seedBytes: words === '13' ? 16 : 32 });
  try {
    const phrase = mnemonicEncode(words === '13' ? id.seed.subarray(0, 16) : id.seed);
    const stdout = p.json
      ? JSON.stringify({ sessionId: id.sessionId, recoveryPhrase: phrase }) + '\n'
      : `Session ID:      ${id.sessionId}\nRecovery phrase: ${phrase}\n`;
    return {
      stdout,
      stderr: 'Keep the recovery phrase secret: anyone who has it controls this account.\n',
      code: 0,
    };
  } finally {
    destroyIdentity(id);
  }
}

function idRestore(p: Parsed, env: CliEnv): CliResult {
  const args = p.positional.slice(2);
  if (p.words !== undefined) throw new UsageError('--words applies to id new only');
  if (args.length === 0) throw new UsageError('id restore needs the recovery phrase (or - to read it from stdin)');
  let phrase: string;
  if (args.length === 1 && args[0] === '-') {
    if (!env.readStdin) throw new UsageError('standard input is not available');
    phrase = env.readStdin();
  } else {
    // Unquoted words arrive as separate arguments; they mean the same phrase.
    phrase = args.join(' ');
  }
  const seed = mnemonicDecode(phrase);
  try {
    const id = identityFromSeed(seed);
    const sessionId = id.sessionId;
    destroyIdentity(id);
    const count = phrase.split(/\s+/u).filter((w) => w !== '').length;
    return {
      stdout: p.json ? JSON.stringify({ sessionId, words: count }) + '\n' : sessionId + '\n',
      stderr: '',
      code: 0,
    };
  } finally {
    seed.fill(0);
  }
}

/** Where `vectors verify` looks without an argument: test-vectors/ in the current directory. */
export const DEFAULT_VECTOR_DIR = 'test-vectors';

async function vectorsVerify(p: Parsed): Promise<CliResult> {
  if (p.words !== undefined || p.json) throw new UsageError('vectors verify takes no options');
  const args = p.positional.slice(2);
  if (args.length > 1) throw new UsageError('vectors verify takes at most one directory');
  const report = await verifyVectorDirectory(args[0] ?? DEFAULT_VECTOR_DIR);
  return { stdout: formatVectorReport(report), stderr: '', code: report.failed === 0 ? 0 : 1 };
}

/** Maps a thrown error to the CLI's output; anything but a usage or SDK error is a bug and rethrown. */
function errorResult(e: unknown): CliResult {
  if (e instanceof UsageError) return { stdout: '', stderr: `session-sdk: ${e.message}\n\n${USAGE}`, code: 2 };
  if (isSessionSdkError(e)) return { stdout: '', stderr: `session-sdk: ${e.message} (${e.code})\n`, code: 1 };
  throw e;
}

/**
 * Runs any CLI command on `argv` (the arguments after the program name), including the
 * asynchronous `vectors verify`, and resolves to what it printed and its exit code.
 *
 * @example
 * ```ts
 * const { stdout, code } = await runCliAsync(['vectors', 'verify', 'test-vectors']);
 * ```
 */
export async function runCliAsync(argv: readonly string[], env: CliEnv = {}): Promise<CliResult> {
  let p: Parsed;
  try {
    p = parseArgs(argv);
  } catch (e) {
    return errorResult(e);
  }
  const [cmd, sub] = p.positional;
  if (p.help || cmd !== 'vectors') return runCli(argv, env);
  try {
    if (sub === 'verify') return await vectorsVerify(p);
    throw new UsageError('unknown or missing vectors subcommand');
  } catch (e) {
    return errorResult(e);
  }
}

/**
 * Runs a synchronous CLI command (`id …`, `help`) on `argv` (the arguments after the program
 * name) and returns what it printed and its exit code, without touching the process.
 * `vectors verify` needs {@link runCliAsync}.
 *
 * @example
 * ```ts
 * const { stdout, code } = runCli(['id', 'new', '--words', '13']);
 * ```
 */
export function runCli(argv: readonly string[], env: CliEnv = {}): CliResult {
  try {
    const p = parseArgs(argv);
    const [cmd, sub] = p.positional;
    if (p.help || cmd === 'help') return { stdout: USAGE, stderr: '', code: 0 };
    if (cmd === 'id' && sub === 'new') return idNew(p);
    if (cmd === 'id' && sub === 'restore') return idRestore(p, env);
    if (cmd === 'vectors') throw new UsageError('vectors commands are asynchronous: call runCliAsync');
    // Arguments are not echoed back: a mistyped command line may hold recovery-phrase words.
    throw new UsageError(cmd === undefined ? 'missing command' : cmd === 'id' ? 'unknown or missing id subcommand' : 'unknown command');
  } catch (e) {
    return errorResult(e);
  }
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    // npm installs the bin as a symlink; compare real paths.
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  void runCliAsync(process.argv.slice(2), { readStdin: () => readFileSync(0, 'utf8') }).then((result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  });
}
