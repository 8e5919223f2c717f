import { adminResolver, panelResolver, postHocSweep } from '../../src/index';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';

const call = (handler: typeof panelResolver, functionKey: string) =>
  handler({ call: { functionKey, payload: { issueKey: 'EVIL-1' } }, context: {} }, {});

describe('resolvers', () => {
  it('panel resolver refuses a call without an issue in the Forge context (the payload key is ignored)', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await call(panelResolver, RESOLVER_KEYS.panel.getPanel)).toEqual({
        ok: false,
        error: { code: 'NO_ISSUE_CONTEXT', message: expect.stringMatching(/only be opened on a Jira issue/) },
      });
      expect(log.mock.calls.map((c) => String(c[0]))).toEqual([expect.not.stringContaining('EVIL-1')]);
    } finally {
      log.mockRestore();
    }
  });

  it.each(Object.values(RESOLVER_KEYS.admin))('admin resolver refuses %s without a caller in the Forge context, before any REST call', async (key) => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const result = await call(adminResolver, key);
      expect(result).toEqual({ ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.stringMatching(/Forge context/) } });
      expect(log.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('"restCalls":0')]);
    } finally {
      log.mockRestore();
    }
  });

  it('keeps each key on its own resolver', async () => {
    await expect(call(panelResolver, RESOLVER_KEYS.admin.getAdminState)).rejects.toThrow();
    await expect(call(adminResolver, RESOLVER_KEYS.panel.getPanel)).rejects.toThrow();
  });
});

describe('postHocSweep', () => {
  it('never throws, even outside Forge (no KVS, no Jira): it answers 204 and logs ids and codes only', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const result = await postHocSweep();
      expect(result).toEqual({ statusCode: 204 });
      const lines = log.mock.calls.map((call) => String(call[0]));
      expect(lines.every((line) => line.startsWith('cc81-posthoc-sweep '))).toBe(true);
      expect(lines.at(-1)).toContain('"event":"run"');
      expect(log.mock.calls.every((call) => call.length === 1)).toBe(true);
    } finally {
      log.mockRestore();
    }
  });
});
