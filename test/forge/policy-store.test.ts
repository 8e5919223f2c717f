// Adapter test for the thin @forge/kvs adapter: @forge/kvs is mocked in this file only.
import { kvs } from '@forge/kvs';
import { defaultPolicy } from '../../src/domain';
import { loadPolicy, POLICY_KEY } from '../../src/policy/policy-store';
import { PolicyError } from '../../src/shared/app-error';
import { MemoryStore } from '../fakes/fake-jira';
import { aSitePolicy } from '../fakes/jira-json.builder';
import { kvsStore } from '../../src/forge/kvs-store';

jest.mock('@forge/kvs', () => ({ kvs: { get: jest.fn(), set: jest.fn() } }));

const stored = (policy: unknown, version = 5) => ({ version, policy, updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' });

const loadError = async (store: MemoryStore): Promise<PolicyError> => {
  const error = await loadPolicy(store).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof PolicyError)) throw new Error('expected a PolicyError');
  return error;
};

describe('loadPolicy', () => {
  it('returns the defaults as version 0 when nothing is stored', async () => {
    const loaded = await loadPolicy(new MemoryStore());
    expect(loaded).toEqual({ version: 0, policy: defaultPolicy(), updatedBy: null, updatedAt: null });
    expect(loaded.policy.statuses).toEqual({});
  });

  it('returns the stored policy, parsed, with its version and author', async () => {
    const store = new MemoryStore();
    store.values.set(POLICY_KEY, stored({ statuses: { Draft: '10000' }, postHoc: { windowHours: 48, warnBeforeHours: 12 } }));
    const loaded = await loadPolicy(store);
    expect(loaded).toMatchObject({ version: 5, updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' });
    expect(loaded.policy.statuses).toEqual({ Draft: '10000' });
    expect(loaded.policy.postHoc).toEqual({ windowHours: 48, warnBeforeHours: 12 });
    expect(loaded.policy.windowEnforcement).toBe('block'); // defaults fill the rest
  });

  it('refuses a corrupted policy with field-level errors instead of falling back to the defaults', async () => {
    const store = new MemoryStore();
    store.values.set(POLICY_KEY, stored({ postHoc: { windowHours: 96 }, statuses: { Draft: 'Open' } }));
    const error = await loadError(store);
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.fieldErrors).toEqual(
      expect.arrayContaining([
        { path: 'postHoc.windowHours', message: 'The post-hoc window is 48 to 72 hours' },
        { path: 'statuses.Draft', message: 'Use a Jira status id (digits), not a status name' },
      ]),
    );
  });

  it('refuses a stored record that is not the expected envelope', async () => {
    const store = new MemoryStore();
    store.values.set(POLICY_KEY, { policy: aSitePolicy() }); // no version, no author
    const error = await loadError(store);
    expect(error.fieldErrors.map((e) => e.path)).toEqual(['version', 'updatedBy', 'updatedAt']);
  });
});

describe('kvsStore', () => {
  it('reads and writes through @forge/kvs', async () => {
    (kvs.get as jest.Mock).mockResolvedValue(stored(aSitePolicy()));
    const store = kvsStore();
    expect(await store.get(POLICY_KEY)).toMatchObject({ version: 5 });
    expect(kvs.get).toHaveBeenCalledWith(POLICY_KEY);
    await store.set(POLICY_KEY, { any: 1 });
    expect(kvs.set).toHaveBeenCalledWith(POLICY_KEY, { any: 1 });
  });
});
