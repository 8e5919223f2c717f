import { MalformedResponseError } from '../../src/shared/app-error';
import { parsePostHocProperty } from '../../src/sweep/posthoc-property';

describe('parsePostHocProperty', () => {
  it.each([
    { name: 'absent (undefined)', value: undefined },
    { name: 'null (Jira returned no value)', value: null },
  ])('reads $name as "nothing recorded yet"', ({ value }) => {
    expect(parsePostHocProperty(value, 'CHG-7')).toBeNull();
  });

  it('refuses a value of the wrong shape, naming the ticket and the property (never the value)', () => {
    const error = (() => {
      try {
        parsePostHocProperty({ version: 1, status: 'flagged-by-hand', secret: 'do-not-log' }, 'CHG-7');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(MalformedResponseError);
    const { message } = error as MalformedResponseError;
    expect(message).toContain('CHG-7');
    expect(message).toContain('cc81.posthoc');
    expect(message).not.toContain('do-not-log');
  });
});
