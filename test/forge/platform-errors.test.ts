// Adapter test: @forge/api is mocked in this file only, so requestJira (as the user) asks for consent.
import { NeedsAuthenticationError } from '@forge/api';
import { forgeAuthErrorIn, isForgeAuthError, rethrowForgeAuthError } from '../../src/forge/platform-errors';
import { panelResolver } from '../../src/forge/panel-resolver.handler';
import { ruleConfigResolver } from '../../src/forge/rule-config-resolver.handler';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { JiraUnreachableError } from '../../src/shared/app-error';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { aSitePolicy } from '../fakes/jira-json.builder';

const mockUserRequestJira = jest.fn();
const mockAppRequestJira = jest.fn();
const mockKvsGet = jest.fn();

jest.mock('@forge/api', () => {
  const actual = jest.requireActual<typeof import('@forge/api')>('@forge/api');
  const asUser = () => ({ requestJira: mockUserRequestJira });
  const asApp = () => ({ requestJira: mockAppRequestJira });
  return { ...actual, __esModule: true, default: { ...actual.default, asUser, asApp }, asUser, asApp };
});
jest.mock('@forge/kvs', () => ({ kvs: { get: (key: string) => mockKvsGet(key), set: jest.fn() } }));

const consent = () => new NeedsAuthenticationError('Authentication required', 'atlassian-token-service-key');

beforeEach(() => {
  mockUserRequestJira.mockReset();
  mockAppRequestJira.mockReset();
  mockKvsGet.mockReset();
  mockKvsGet.mockImplementation(async (key: string) =>
    key === POLICY_KEY ? { version: 3, policy: aSitePolicy(), updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' } : undefined,
  );
});

describe('platform errors', () => {
  it('recognises NeedsAuthenticationError itself and inside a cause chain, nothing else', () => {
    const error = consent();
    expect(isForgeAuthError(error)).toBe(true);
    expect(isForgeAuthError(new Error('NEEDS_AUTHENTICATION_ERR'))).toBe(false);
    expect(forgeAuthErrorIn(new JiraUnreachableError('GET /x', { cause: error }))).toBe(error);
    expect(forgeAuthErrorIn(new JiraUnreachableError('GET /x', { cause: new Error('network') }))).toBeUndefined();
    expect(forgeAuthErrorIn('not an error')).toBeUndefined();
  });

  it('rethrows the unwrapped consent error, and lets any other error pass', () => {
    const error = consent();
    expect(() => rethrowForgeAuthError(new JiraUnreachableError('GET /x', { cause: error }))).toThrow(error);
    expect(() => rethrowForgeAuthError(new Error('other'))).not.toThrow();
  });
});

describe('the panel resolver (production wiring) when the user has not allowed access', () => {
  it('rejects with the very NeedsAuthenticationError requestJira threw, so Forge shows the allow-access prompt', async () => {
    const error = consent();
    mockUserRequestJira.mockRejectedValue(error);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const call = panelResolver({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload: {} }, context: { accountId: 'acc-1', extension: { issue: { key: 'CHG-1', id: '10001' } } } }, {});
      await expect(call).rejects.toBe(error);
      expect(mockUserRequestJira).toHaveBeenCalledTimes(1);
      expect(mockAppRequestJira).not.toHaveBeenCalled(); // nothing is read as the app before the user's read succeeds
    } finally {
      log.mockRestore();
    }
  });

  it('still answers other transport failures itself ("Jira could not be reached"), so the test above can fail', async () => {
    mockUserRequestJira.mockRejectedValue(new Error('socket hang up'));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const result = await panelResolver({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload: {} }, context: { accountId: 'acc-1', extension: { issue: { key: 'CHG-1' } } } }, {});
      expect(result).toEqual({ ok: false, error: { code: 'JIRA_UNREACHABLE', message: expect.stringMatching(/could not be reached/) } });
    } finally {
      log.mockRestore();
    }
  });
});

describe('the rule-config resolver (production wiring) when the user has not allowed access', () => {
  it('rejects with the same NeedsAuthenticationError from the admin check as the user', async () => {
    const error = consent();
    mockUserRequestJira.mockRejectedValue(error);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const call = ruleConfigResolver({ call: { functionKey: RESOLVER_KEYS.ruleConfig.getRuleOptions, payload: {} }, context: { extension: { type: 'jira:workflowValidator' } } }, {});
      await expect(call).rejects.toBe(error);
      expect(mockUserRequestJira).toHaveBeenCalledTimes(1);
    } finally {
      log.mockRestore();
    }
  });
});
