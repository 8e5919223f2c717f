import { FIELD_KEYS, fieldFromRaw, fieldsAt, rawFieldValue, sortHistory } from '../../src/domain';
import { aChange, completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';

describe('field snapshots', () => {
  it.each(FIELD_KEYS)('%s survives the raw encoding used in history', (field) => {
    const fields = completeFields('standard');
    const raw = rawFieldValue(fields, field);
    const back = fieldFromRaw(field, raw);
    expect(rawFieldValue({ ...fields, [field]: back }, field)).toBe(raw);
  });

  it('reads unknown option values and bad dates as empty, not as errors', () => {
    expect(fieldFromRaw('risk', 'Extreme')).toBeNull();
    expect(fieldFromRaw('changeType', 'Emergency!')).toBeNull();
    expect(fieldFromRaw('windowStart', 'not a date')).toBeNull();
    expect(fieldFromRaw('testPlan', '  ')).toBeNull();
  });

  it('rebuilds the fields as they were at a moment, edits at that moment included', () => {
    const current = aChange({ fields: { risk: 'high', implementer: { accountId: PEOPLE.outsider } } }).fields;
    const history = sortHistory(
      aHistory()
        .edit('risk', null, 'low', PEOPLE.requester, 1)
        .edit('risk', 'low', 'medium', PEOPLE.requester, 3)
        .edit('implementer', PEOPLE.implementer, PEOPLE.outsider, PEOPLE.requester, 4)
        .edit('risk', 'medium', 'high', PEOPLE.requester, 5)
        .build(),
    );
    expect(fieldsAt(current, history, at(0.5)).risk).toBeNull();
    expect(fieldsAt(current, history, at(2)).risk).toBe('low');
    expect(fieldsAt(current, history, at(3)).risk).toBe('medium');
    expect(fieldsAt(current, history, at(3)).implementer).toEqual({ accountId: PEOPLE.implementer });
    expect(fieldsAt(current, history, at(9))).toEqual(current);
  });
});
