import { compileEdge } from '../../src/domain/expression';
import { RuleConfigSchema, type CompileResult, type CompiledRule, type RuleKind } from '../../src/domain/expression/compiled-rule';
import { EDGES, type EdgeId } from '../../src/domain/lifecycle';
import { defaultPolicy, type Policy } from '../../src/domain/policy';
import { ALWAYS_PASSES, createRuleConfigResolver, type RuleConfigDeps } from '../../src/forge/create-rule-config-resolver';
import { ruleConfigResolver } from '../../src/forge/rule-config-resolver.handler';
import { JiraHttpError, PolicyError } from '../../src/shared/app-error';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { RuleOptionsSchema } from '../../src/shared/rule-config-contract';
import { aMappedPolicy } from '../builders/mapped-policy.builder';

const KEYS = RESOLVER_KEYS.ruleConfig;
const VALIDATOR = 'jira:workflowValidator';
const CONDITION = 'jira:workflowCondition';

const rule = (edge: EdgeId, kind: RuleKind, part: number, parts: number, checks: string[]): CompiledRule => ({
  edge,
  kind,
  part,
  parts,
  expression: `/* ${edge} ${kind} ${part}/${parts} */ true`,
  length: 30,
  expensiveOps: 1,
  checks,
});

/** approve needs two parts, submit one, sendBack none, close cannot be compiled; the rest one part. */
const fakeCompile = jest.fn((_policy: Policy, edge: EdgeId, kind: RuleKind): CompileResult => {
  if (edge === 'approve') return { ok: true, rules: [rule(edge, kind, 2, 2, ['Approver', 'CAB']), rule(edge, kind, 1, 2, ['Test plan', 'Rollback plan'])] };
  if (edge === 'sendBack') return { ok: true, rules: [] };
  if (edge === 'close') {
    return { ok: false, error: { code: 'FIELD_NOT_MAPPED', message: 'Map Verifier to a Jira field on the CC8.1 admin page first.' } };
  }
  return { ok: true, rules: [rule(edge, kind, 1, 1, [`checks ${edge}`])] };
});

const setup = (overrides: Partial<RuleConfigDeps> = {}) => {
  const deps = {
    compile: fakeCompile,
    loadPolicy: jest.fn(async () => ({ policy: defaultPolicy(), version: 7 })),
    checkAdmin: jest.fn(async () => true),
    log: jest.fn(),
    ...overrides,
  };
  const handler = createRuleConfigResolver(deps);
  const call = (functionKey: string, payload: unknown, extensionType: string | null = VALIDATOR) =>
    handler({ call: { functionKey, payload }, context: extensionType === null ? {} : { extension: { type: extensionType } } }, {}) as Promise<
      { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }
    >;
  return { deps, call };
};

const dataOf = <T>(result: { ok: true; data: unknown } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.data as T;
};

describe('rule config resolver', () => {
  describe('kind comes from the Forge context, never the payload', () => {
    it.each([
      [VALIDATOR, 'validator', 'condition'],
      [CONDITION, 'condition', 'validator'],
    ] as const)('getRuleOptions from %s reports %s', async (type, kind, forged) => {
      const { call } = setup();
      const options = RuleOptionsSchema.parse(dataOf(await call(KEYS.getRuleOptions, { kind: forged }, type)));
      expect(options.kind).toBe(kind);
      expect(fakeCompile.mock.calls.every(([, , k]) => k === kind)).toBe(true);
    });

    it('compileRule ignores a kind in the payload', async () => {
      const { call } = setup();
      const config = RuleConfigSchema.parse(dataOf(await call(KEYS.compileRule, { edge: 'submit', part: 1, kind: 'condition' }, VALIDATOR)));
      expect(config.kind).toBe('validator');
      expect(fakeCompile).toHaveBeenCalledWith(expect.anything(), 'submit', 'validator');
    });

    it.each([['jira:issuePanel'], [null]])('refuses a call from another module (%s)', async (type) => {
      const { call, deps } = setup();
      for (const key of Object.values(KEYS)) {
        const result = await call(key, { edge: 'submit', part: 1, kind: 'validator' }, type);
        expect(result).toEqual({ ok: false, error: { code: 'UNSUPPORTED_MODULE', message: expect.any(String) } });
      }
      expect(deps.loadPolicy).not.toHaveBeenCalled();
    });
  });

  describe('only Jira admins', () => {
    it('refuses a non-admin on every key before reading the policy', async () => {
      const { call, deps } = setup({ checkAdmin: jest.fn(async () => false) });
      for (const key of Object.values(KEYS)) {
        const result = await call(key, { edge: 'submit', part: 1 });
        expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/Only Jira admins/) } });
      }
      expect(deps.checkAdmin).toHaveBeenCalledTimes(2);
      expect(deps.loadPolicy).not.toHaveBeenCalled();
      expect(fakeCompile).not.toHaveBeenCalled();
    });

    it('reports a failed permission check as such, not as forbidden', async () => {
      const { call } = setup({
        checkAdmin: jest.fn(async () => {
          throw new JiraHttpError(503, '/rest/api/3/mypermissions');
        }),
      });
      const result = await call(KEYS.getRuleOptions, {});
      expect(result).toEqual({ ok: false, error: { code: 'JIRA_HTTP', message: 'Jira answered 503 to /rest/api/3/mypermissions' } });
    });
  });

  describe('corrupted policy', () => {
    it.each([[KEYS.getRuleOptions], [KEYS.compileRule]])('%s answers POLICY_INVALID with the field errors', async (key) => {
      const { call } = setup({
        loadPolicy: jest.fn(async () => {
          throw new PolicyError([{ path: 'postHoc.windowHours', message: 'The post-hoc window is 48 to 72 hours' }]);
        }),
      });
      const result = await call(key, { edge: 'submit', part: 1 });
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'POLICY_INVALID',
          message: 'The stored CC8.1 policy is invalid: postHoc.windowHours: The post-hoc window is 48 to 72 hours',
        },
      });
      expect(fakeCompile).not.toHaveBeenCalled();
    });
  });

  describe('getRuleOptions', () => {
    it('lists every edge in lifecycle order with parts, checks and errors, and the policy version', async () => {
      const { call } = setup();
      const options = RuleOptionsSchema.parse(dataOf(await call(KEYS.getRuleOptions, undefined)));
      expect(options.policyVersion).toBe(7);
      expect(options.edges.map((e) => e.id)).toEqual(EDGES.map((e) => e.id));

      const byId = new Map(options.edges.map((e) => [e.id, e]));
      expect(byId.get('approve')).toEqual({
        id: 'approve',
        name: 'Approve',
        from: 'Assessment',
        to: 'Approved',
        types: ['standard', 'normal', 'emergency'],
        parts: 2,
        checks: ['Test plan', 'Rollback plan', 'Approver', 'CAB'],
        partChecks: [
          ['Test plan', 'Rollback plan'],
          ['Approver', 'CAB'],
        ],
      });
      expect(byId.get('standardSchedule')).toMatchObject({ types: ['standard'], parts: 1 });
      expect(byId.get('sendBack')).toMatchObject({ parts: 1, checks: [], partChecks: [[]] });
      expect(byId.get('close')).toMatchObject({
        parts: 0,
        checks: [],
        error: { code: 'FIELD_NOT_MAPPED', message: 'Map Verifier to a Jira field on the CC8.1 admin page first.' },
      });
    });

    it('explains an unmapped field with the real compiler (default policy maps no custom fields)', async () => {
      const { call } = setup({ compile: compileEdge });
      const options = RuleOptionsSchema.parse(dataOf(await call(KEYS.getRuleOptions, {})));
      const approve = options.edges.find((e) => e.id === 'approve');
      expect(approve?.error?.code).toBe('FIELD_NOT_MAPPED');
      expect(approve?.error?.message).toMatch(/^Map .*Test plan.* on the CC8\.1 admin page first\.$/);
    });
  });

  describe('compileRule', () => {
    it.each([
      [{ edge: 'notAnEdge', part: 1 }],
      [{ edge: 'submit', part: 0 }],
      [{ edge: 'submit', part: 1.5 }],
      [{ edge: 'submit', part: '1' }],
      [{ edge: 'submit' }],
      [{}],
      ['submit'],
    ])('rejects payload %j with INVALID_PAYLOAD', async (payload) => {
      const { call } = setup();
      const result = await call(KEYS.compileRule, payload);
      expect(result).toEqual({ ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.stringMatching(/^Invalid rule config request: /) } });
      expect(fakeCompile).not.toHaveBeenCalled();
    });

    it('returns the requested part, ready to save', async () => {
      const { call } = setup();
      const data = dataOf(await call(KEYS.compileRule, { edge: 'approve', part: 2 }));
      expect(data).toEqual({
        edge: 'approve',
        kind: 'validator',
        part: 2,
        parts: 2,
        expression: '/* approve validator 2/2 */ true',
        policyVersion: 7,
      });
      expect(RuleConfigSchema.strict().parse(data)).toEqual(data);
    });

    it('refuses a part the edge does not have', async () => {
      const { call } = setup();
      const result = await call(KEYS.compileRule, { edge: 'approve', part: 3 });
      expect(result).toEqual({ ok: false, error: { code: 'INVALID_PART', message: 'This lifecycle step needs 2 validators: pick a part from 1 to 2, not 3.' } });
    });

    it('saves an always-passing rule for an edge with nothing to check', async () => {
      const { call } = setup();
      const data = dataOf(await call(KEYS.compileRule, { edge: 'sendBack', part: 1 }, CONDITION));
      expect(data).toEqual({ edge: 'sendBack', kind: 'condition', part: 1, parts: 1, expression: ALWAYS_PASSES, policyVersion: 7 });
    });

    it('passes the compiler error on in plain words', async () => {
      const { call } = setup();
      const result = await call(KEYS.compileRule, { edge: 'close', part: 1 });
      expect(result).toEqual({ ok: false, error: { code: 'FIELD_NOT_MAPPED', message: 'Map Verifier to a Jira field on the CC8.1 admin page first.' } });
    });

    it.each([
      ['validator', VALIDATOR],
      ['condition', CONDITION],
    ] as const)('with the real compiler, every part of every %s edge saves a RuleConfig', async (kind, type) => {
      const policy = aMappedPolicy({ version: 3 });
      const { call } = setup({ compile: compileEdge, loadPolicy: jest.fn(async () => ({ policy, version: policy.version })) });
      const options = RuleOptionsSchema.parse(dataOf(await call(KEYS.getRuleOptions, {}, type)));
      for (const edge of options.edges) {
        expect({ edge: edge.id, error: edge.error }).toEqual({ edge: edge.id, error: undefined });
        for (let part = 1; part <= edge.parts; part += 1) {
          const data = dataOf(await call(KEYS.compileRule, { edge: edge.id, part }, type));
          const config = RuleConfigSchema.strict().parse(JSON.parse(JSON.stringify(data)));
          expect(config).toMatchObject({ edge: edge.id, kind, part, parts: edge.parts, policyVersion: 3 });
        }
      }
    });
  });

  describe('failures', () => {
    it('hides unexpected errors and logs only the key and error name', async () => {
      const { call, deps } = setup({
        loadPolicy: jest.fn(async () => {
          throw new TypeError('secret issue text ABC-1');
        }),
      });
      const result = await call(KEYS.getRuleOptions, {});
      expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.not.stringContaining('ABC-1') } });
      expect(deps.log).toHaveBeenCalledTimes(1);
      expect(deps.log).toHaveBeenCalledWith('cc81-rule-config', { key: 'getRuleOptions', kind: 'validator', outcome: 'error', errorCode: 'INTERNAL', errorName: 'TypeError' });
    });

    it('lets platform errors (consent prompts) reach Forge', async () => {
      const consent = Object.assign(new Error('Authentication Required'), { name: 'NEEDS_AUTHENTICATION_ERR' });
      const { call } = setup({
        checkAdmin: jest.fn(async () => {
          throw consent;
        }),
        isPlatformError: (error) => error === consent,
      });
      await expect(call(KEYS.getRuleOptions, {})).rejects.toBe(consent);
    });
  });

  describe('production wiring', () => {
    it('answers both keys and checks the module before any platform call', async () => {
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        for (const functionKey of Object.values(KEYS)) {
          const result = await ruleConfigResolver({ call: { functionKey, payload: {} }, context: { extension: { type: 'jira:issuePanel' } } }, {});
          expect(result).toEqual({ ok: false, error: { code: 'UNSUPPORTED_MODULE', message: expect.any(String) } });
        }
        await expect(ruleConfigResolver({ call: { functionKey: 'getPanel', payload: {} }, context: {} }, {})).rejects.toThrow();
      } finally {
        log.mockRestore();
      }
    });
  });
});
