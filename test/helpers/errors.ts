// The code of the SessionSdkError that a call or promise ends with, or 'ok' when it succeeds;
// anything else thrown (a TypeError from a dependency, a plain Error) fails the test outright.
import { isSessionSdkError } from '../../src/errors.js';

export async function codeOf(f: (() => unknown) | Promise<unknown>): Promise<string> {
  try {
    await (typeof f === 'function' ? f() : f);
    return 'ok';
  } catch (e) {
    if (!isSessionSdkError(e)) throw new Error(`expected a SessionSdkError, got ${String(e)}`, { cause: e });
    return e.code;
  }
}
