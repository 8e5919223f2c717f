import { adfToText, changelogRawValue, optionValueOf, parseFieldValue } from '../../src/jira/field-value';
import { adf, fieldItem } from '../fakes/jira-json.builder';

describe('adfToText', () => {
  it('extracts text nodes, one line per block, mentions and hard breaks included', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Rollback' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Redeploy ', marks: [{ type: 'strong' }] },
            { type: 'text', text: 'bundle v41' },
            { type: 'hardBreak' },
            { type: 'mention', attrs: { id: 'acc-1', text: '@Dana' } },
          ],
        },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'purge CDN' }] }] }] },
        { type: 'paragraph', content: [] },
      ],
    };
    expect(adfToText(doc)).toBe('Rollback\nRedeploy bundle v41\n@Dana\npurge CDN');
  });
});

describe('parseFieldValue', () => {
  it('reads rich text from ADF, and blank documents as not set', () => {
    expect(parseFieldValue('rollbackPlan', adf('Redeploy\nPurge CDN'))).toEqual({ ok: true, value: 'Redeploy\nPurge CDN' });
    expect(parseFieldValue('rollbackPlan', { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [] }] })).toEqual({ ok: true, value: null });
  });

  it('tolerates a plain string in a rich-text field', () => {
    expect(parseFieldValue('testPlan', 'Staging first')).toEqual({ ok: true, value: 'Staging first' });
  });

  it('maps option labels back to domain values, case-insensitively; the site\'s labels through the policy; unknown labels are errors, never "not set"', () => {
    expect(parseFieldValue('changeType', { value: 'EMERGENCY', id: '10102' })).toEqual({ ok: true, value: 'emergency' });
    expect(parseFieldValue('verificationResult', { value: 'failed and rolled back', id: '1' })).toEqual({ ok: true, value: 'failed-rolled-back' });
    expect(parseFieldValue('risk', { value: 'Critical', id: '10113' })).toEqual({ ok: false, problem: expect.stringMatching(/^"Critical" is not a Risk rating option the policy knows/) });
    const site = { optionLabels: { risk: { Critical: 'high' as const, ' Minor ': 'low' as const }, verificationResult: { 'Failed - rolled back': 'failed-rolled-back' as const, Pass: 'passed' as const } } };
    expect(parseFieldValue('risk', { value: 'critical', id: '10113' }, { labels: site })).toEqual({ ok: true, value: 'high' });
    expect(parseFieldValue('risk', { value: 'Minor' }, { labels: site })).toEqual({ ok: true, value: 'low' });
    expect(parseFieldValue('risk', { value: 'High' }, { labels: site })).toEqual({ ok: true, value: 'high' }); // the app's own label still counts
    expect(parseFieldValue('verificationResult', { value: 'Failed - rolled back' }, { labels: site })).toEqual({ ok: true, value: 'failed-rolled-back' });
    expect(parseFieldValue('verificationResult', 'Pass', { labels: site })).toEqual({ ok: true, value: 'passed' });
    expect(parseFieldValue('risk', { value: '  ' }, { labels: site })).toEqual({ ok: true, value: null });
  });

  it('reads users with their active flag, and bare account ids only where asked (modifiedFields)', () => {
    expect(parseFieldValue('implementer', { accountId: 'acc-9', displayName: 'Former user', active: false, avatarUrls: {} })).toEqual({
      ok: true,
      value: { accountId: 'acc-9', displayName: 'Former user', active: false },
    });
    expect(parseFieldValue('implementer', 'acc-9', { bareAccountIds: true })).toEqual({ ok: true, value: { accountId: 'acc-9' } });
    expect(parseFieldValue('implementer', 'Dana from ops')).toEqual({ ok: false, problem: 'expected a user' });
  });

  it('reads datetimes in Jira format', () => {
    const parsed = parseFieldValue('windowStart', '2026-03-02T18:00:00.000+0000');
    expect(parsed.ok && parsed.value instanceof Date && parsed.value.toISOString()).toBe('2026-03-02T18:00:00.000Z');
  });

  it('reports the wrong shape without echoing the value', () => {
    const parsed = parseFieldValue('implementer', { name: 'secret-value' });
    expect(parsed).toEqual({ ok: false, problem: 'expected a user' });
    expect(parseFieldValue('targetSystems', 'cdn')).toEqual({ ok: false, problem: 'expected a list of labels' });
    expect(parseFieldValue('windowEnd', 'next tuesday')).toEqual({ ok: false, problem: 'expected a timestamp' });
  });
});

describe('optionValueOf', () => {
  it('accepts labels and domain values, nothing else', () => {
    expect(optionValueOf('risk', ' high ')).toBe('high');
    expect(optionValueOf('risk', 'Medium')).toBe('medium');
    expect(optionValueOf('risk', 'Severe')).toBeNull();
    expect(optionValueOf('summary', 'High')).toBeNull();
  });
});

describe('changelogRawValue', () => {
  it('uses account ids for users, domain values for options, sorted labels, ISO datetimes and text strings', () => {
    expect(changelogRawValue('implementer', fieldItem('implementer', 'acc-a', 'acc-b'), 'to')).toBe('acc-b');
    expect(changelogRawValue('risk', fieldItem('risk', 'low', 'high'), 'from')).toBe('low');
    expect(changelogRawValue('targetSystems', fieldItem('targetSystems', 'edge-proxy,cdn', 'db'), 'from')).toBe('cdn,edge-proxy');
    expect(changelogRawValue('windowStart', fieldItem('windowStart', null, '2026-03-02T18:00:00.000Z'), 'to')).toBe('2026-03-02T18:00:00.000Z');
    expect(changelogRawValue('windowStart', fieldItem('windowStart', null, '2026-03-02T18:00:00.000Z'), 'from')).toBeNull();
    expect(changelogRawValue('rollbackPlan', fieldItem('rollbackPlan', 'Old plan', 'New plan'), 'to')).toBe('New plan');
  });

  it('keeps an unknown option label, so a change between two unknown labels still shows', () => {
    const item = { field: 'Risk rating', fieldId: 'customfield_10041', from: '1', fromString: 'Severe', to: '2', toString: 'Critical' };
    expect([changelogRawValue('risk', item, 'from'), changelogRawValue('risk', item, 'to')]).toEqual(['Severe', 'Critical']);
  });

  it('treats empty label strings as not set', () => {
    expect(changelogRawValue('targetSystems', { fieldId: 'x', from: null, fromString: '', to: null, toString: null }, 'from')).toBeNull();
  });
});
