import { compileEdge } from '../../../src/domain/expression';
import { bodyOf, createSite } from './server-fixture';

type Analysis = { results: { expression: string; valid: boolean; errors?: { type: string; message: string; line?: number; column?: number }[]; complexity?: { expensiveOperations: string } }[] };

const analyse = async (expressions: string[], check?: string, contextVariables?: Record<string, string>) => {
  const site = createSite();
  const response = await site.call('POST', '/rest/api/3/expression/analyse', { as: 'app', query: check ? { check } : {}, body: { expressions, ...(contextVariables ? { contextVariables } : {}) } });
  return { status: response.status, body: bodyOf<Analysis>(response) };
};

describe('POST /rest/api/3/expression/analyse', () => {
  it('says which expressions parse, with the position of a syntax error', async () => {
    const { status, body } = await analyse(['issue.summary != null', 'issue.summary != ']);
    expect(status).toBe(200);
    expect(body.results[0]).toEqual({ expression: 'issue.summary != null', valid: true });
    expect(body.results[1]).toMatchObject({ valid: false, errors: [{ type: 'syntax', line: 1 }] });
  });

  it('refuses what is outside the subset, and unknown variables unless declared', async () => {
    const { body } = await analyse(['`template ${1}`', 'ticket.key != null']);
    expect(body.results.map((r) => [r.valid, r.errors?.[0]?.type])).toEqual([
      [false, 'other'],
      [false, 'other'],
    ]);
    expect((await analyse(['ticket.key != null'], 'syntax', { ticket: 'Issue' })).body.results[0]!.valid).toBe(true);
  });

  it('counts expensive operations for check=complexity', async () => {
    const { body } = await analyse(["issue.customfield_10040 != null && issue.customfield_10041 != null && user.groups.includes('x') && issue.properties['cc81.evidence'] != null"], 'complexity');
    expect(body.results[0]).toMatchObject({ valid: true, complexity: { expensiveOperations: '4' } });
  });

  it("accepts every rule the app's compiler emits for the demo policy, within the budget", async () => {
    const site = createSite();
    const rules = (['approve', 'close', 'implement', 'submit'] as const).flatMap((edge) =>
      (['condition', 'validator'] as const).flatMap((kind) => {
        const compiled = compileEdge(site.state.policy, edge, kind);
        return compiled.ok ? compiled.rules : [];
      }),
    );
    const expressions = rules.map((r) => r.expression);
    const response = await site.call('POST', '/rest/api/3/expression/analyse', { as: 'app', query: { check: 'complexity' }, body: { expressions } });
    const results = bodyOf<Analysis>(response).results;
    expect(results).toHaveLength(expressions.length);
    results.forEach((r, i) => {
      expect(r.valid).toBe(true);
      // The same count the compiler budgets with.
      expect(Number(r.complexity!.expensiveOperations)).toBe(rules[i]!.expensiveOps);
    });
  });

  it('refuses an unknown check, an empty list and an over-long expression', async () => {
    expect((await analyse(['true'], 'speed')).status).toBe(400);
    expect((await analyse([])).status).toBe(400);
    expect((await analyse(['1 == ' + '1'.repeat(1_100)])).body.results[0]).toMatchObject({ valid: false, errors: [{ type: 'other', message: expect.stringMatching(/too long/) }] });
  });

  it('refuses, as Jira does, an expression over 100 leaves or 10 expensive operations, on every check', async () => {
    // 51 comparisons of a literal with a literal: 3 leaves each, plus 50 `&&` = 203 leaves, no expensive operation.
    const wide = Array.from({ length: 51 }, (_, i) => `${i} == ${i}`).join(' && ');
    // 11 custom-field reads: 11 expensive operations in 65 leaves.
    const costly = Array.from({ length: 11 }, (_, i) => `issue.customfield_${10040 + i} != null`).join(' && ');
    const within = Array.from({ length: 10 }, (_, i) => `issue.customfield_${10040 + i} != null`).join(' && ');
    for (const check of ['syntax', 'type', 'complexity']) {
      const { body } = await analyse([wide, costly, within], check);
      expect(body.results.map((r) => r.valid)).toEqual([false, false, true]);
      expect(body.results[0]!.errors![0]!.message).toBe('Jira expression is too complex: too many nodes (203), limit: 100 leaves.');
      expect(body.results[1]!.errors![0]!.message).toBe('Jira expression is too complex: too many expensive operations (11), limit: 10.');
    }
  });
});
