// Issue 16: the sandbox UI reads the jsm site's fields by their own types and labels.
import { buildPageConfig } from '../../../sandbox/pages/page-config';
import { demoUsers } from '../../../sandbox/demo/demo-users';
import { createSandboxState } from '../../../sandbox/state/sandbox-state';

describe('the page config on a site with its own change fields', () => {
  it('gives each mapped field its Jira type and the field\'s own option labels', () => {
    const state = createSandboxState(demoUsers(), {}, { site: 'jsm' });
    const id = (name: string) => state.fields.find((f) => f.name === name)!.id;
    state.policy = { ...state.policy, fields: { ...state.policy.fields, risk: id('Change risk'), approver: id('Approvers'), verifier: id('Verification team'), targetSystems: 'components' }, fieldTypes: { approver: 'multiuser', verifier: 'group', targetSystems: 'components' } };
    const byKey = Object.fromEntries(buildPageConfig(state).fields.map((f) => [f.key, f]));
    expect(byKey.approver!.type).toBe('multiuser');
    expect(byKey.verifier!.type).toBe('group');
    expect(byKey.targetSystems).toMatchObject({ type: 'components', fieldId: 'components' });
    expect(byKey.risk!.options!.map((o) => [o.value, o.label])).toEqual([
      ['low', 'Low'],
      ['medium', 'Medium'],
      ['high', 'High'],
      ['Critical', 'Critical'],
    ]);
  });
});
