import { Policy, PolicyInput, PolicySchema } from '../../src/domain';
import { CAB_GROUP, PEOPLE } from './people.builder';

export const aPolicy = (overrides: PolicyInput = {}): Policy =>
  PolicySchema.parse({ cab: { requiredForRisks: ['medium', 'high'], groupName: CAB_GROUP, memberAccountIds: [PEOPLE.cab] }, ...overrides });
