import { describe, expect, it, vi } from 'vitest';
import { isSessionSdkError, SESSION_SDK_ERROR_CODES, SessionSdkError } from '../../src/errors.js';

describe('SessionSdkError', () => {
  it('carries a stable code and narrows by code', () => {
    const e = new SessionSdkError('DECRYPT_FAILED', 'decryption failed');
    expect(e.name).toBe('SessionSdkError');
    expect(isSessionSdkError(e)).toBe(true);
    expect(isSessionSdkError(e, 'DECRYPT_FAILED', 'BAD_SIGNATURE')).toBe(true);
    expect(isSessionSdkError(e, 'BAD_SIGNATURE')).toBe(false);
    expect(isSessionSdkError(new Error('x'))).toBe(false);
    expect(isSessionSdkError(null)).toBe(false);
    expect(new Set(SESSION_SDK_ERROR_CODES).size).toBe(SESSION_SDK_ERROR_CODES.length);
  });

  it('recognises errors thrown by another copy of the module (ESM and CJS builds in one app)', async () => {
    // A second module instance, as when an app loads both builds.
    vi.resetModules();
    const other = await import('../../src/errors.js');
    expect(other.SessionSdkError).not.toBe(SessionSdkError);
    const foreign = new other.SessionSdkError('BAD_PADDING', 'bad padding');
    expect(foreign instanceof SessionSdkError).toBe(false);
    expect(isSessionSdkError(foreign, 'BAD_PADDING')).toBe(true);
    expect(isSessionSdkError({ code: 'BAD_PADDING', message: 'forged' })).toBe(false);
  });
});
