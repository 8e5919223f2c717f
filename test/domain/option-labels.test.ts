// Issue 16: the policy maps the site's option labels to the domain's values.
import { parsePolicy } from '../../src/domain';

describe('optionLabels in the policy', () => {
  it('reads several labels per value, trimmed', () => {
    const parsed = parsePolicy({ optionLabels: { risk: { ' Critical ': 'high', High: 'high', Minor: 'low' }, verificationResult: { Pass: 'passed' } } });
    expect(parsed.ok && parsed.policy.optionLabels).toEqual({ risk: { Critical: 'high', High: 'high', Minor: 'low' }, verificationResult: { Pass: 'passed' } });
  });

  it.each([
    [{ risk: { Critical: 'extreme' } }, 'optionLabels.risk.Critical'],
    [{ changeType: { Emergency: 'urgent' } }, 'optionLabels.changeType.Emergency'],
    [{ risk: { '  ': 'low' } }, 'optionLabels.risk.  '],
    [{ priority: { P1: 'high' } }, 'optionLabels'],
  ])('refuses %j, saying where', (optionLabels, path) => {
    const parsed = parsePolicy({ optionLabels });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toContain(path);
  });
});
