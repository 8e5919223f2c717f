import { PolicySchema, defaultPolicy, parsePolicy } from '../../src/domain';

describe('policy', () => {
  it('has safe defaults', () => {
    const policy = defaultPolicy();
    expect(policy.postHoc).toEqual({ windowHours: 72, warnBeforeHours: 24 });
    expect(policy.cab.requiredForRisks).toEqual(['medium', 'high']);
    expect(policy.windowEnforcement).toBe('block');
    expect(policy.lowRiskRelaxation).toEqual({ enabled: false });
    expect(policy.businessHours).toBeNull();
    expect(policy.fields).toEqual({ summary: 'summary', justification: 'description', requester: 'reporter' });
  });

  it('accepts a fully configured policy', () => {
    const result = parsePolicy({
      version: 3,
      statuses: { Draft: '10000', Assessment: '10001', Approved: '10002', Scheduled: '10003', Implemented: '10004', Closed: '10005' },
      fields: { implementer: 'customfield_10050', approver: 'customfield_10051', risk: 'customfield_10052' },
      postHoc: { windowHours: 48, warnBeforeHours: 12 },
      businessHours: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '08:30', end: '18:00' },
      windowEnforcement: 'flag',
      lowRiskRelaxation: { enabled: true, compensatingControl: 'Monthly review of self-approved changes by the CISO' },
    });
    expect(result.ok).toBe(true);
  });

  it.each([
    [{ postHoc: { windowHours: 96, warnBeforeHours: 24 } }, 'postHoc.windowHours', /48 to 72/],
    [{ postHoc: { windowHours: 24, warnBeforeHours: 12 } }, 'postHoc.windowHours', /48 to 72/],
    [{ postHoc: { windowHours: 48, warnBeforeHours: 48 } }, 'postHoc.warnBeforeHours', /before the deadline/],
    [{ lowRiskRelaxation: { enabled: true } }, 'lowRiskRelaxation.compensatingControl', /.+/],
    [{ lowRiskRelaxation: { enabled: true, compensatingControl: 'none' } }, 'lowRiskRelaxation.compensatingControl', /compensating control/],
    [{ fields: { approver: 'customfield_1', implementer: 'customfield_1' } }, 'fields.approver', /already mapped to implementer/],
    [{ fields: { approver: 'Approver field' } }, 'fields.approver', /field id/],
    [{ statuses: { Approved: '3', Closed: '3' } }, 'statuses.Closed', /already mapped to Approved/],
    [{ statuses: { Draft: 'To Do' } }, 'statuses.Draft', /status id/],
    [{ businessHours: { timeZone: 'Mars/Olympus' } }, 'businessHours.timeZone', /time zone/],
    [{ businessHours: { timeZone: 'UTC', start: '18:00', end: '09:00' } }, 'businessHours.end', /end after/],
    [{ businessHours: { timeZone: 'UTC', days: [] } }, 'businessHours.days', /at least one/],
    [{ windowEnforcement: 'ignore' }, 'windowEnforcement', /.+/],
    [{ cab: { requiredForRisks: ['extreme'] } }, 'cab.requiredForRisks.0', /.+/],
  ])('rejects %j with an error at %s', (input, path, message) => {
    const result = parsePolicy(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it.each([['a string'], [42], [[]], [{ postHoc: 'seventy-two' }]])('reports corrupted stored policy %j instead of throwing', (input) => {
    const result = parsePolicy(input);
    expect(result.ok).toBe(false);
  });

  it('treats a missing stored policy as the defaults', () => {
    expect(parsePolicy(undefined)).toEqual({ ok: true, policy: PolicySchema.parse({}) });
  });
});
