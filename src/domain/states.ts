import { z } from 'zod';

/** The six lifecycle states, in order. The only place a state name is spelled. */
export const STATES = ['Draft', 'Assessment', 'Approved', 'Scheduled', 'Implemented', 'Closed'] as const;
export const StateSchema = z.enum(STATES);
export type State = z.infer<typeof StateSchema>;

export const CHANGE_TYPES = ['standard', 'normal', 'emergency'] as const;
export const ChangeTypeSchema = z.enum(CHANGE_TYPES);
export type ChangeType = z.infer<typeof ChangeTypeSchema>;

export const RISKS = ['low', 'medium', 'high'] as const;
export const RiskSchema = z.enum(RISKS);
export type Risk = z.infer<typeof RiskSchema>;

export const VERIFICATION_RESULTS = ['passed', 'failed-rolled-back'] as const;
export const VerificationResultSchema = z.enum(VERIFICATION_RESULTS);
export type VerificationResult = z.infer<typeof VerificationResultSchema>;

/** Segregation-of-duties roles. */
export const ROLES = ['requester', 'implementer', 'approver', 'verifier'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const stateIndex = (state: State): number => STATES.indexOf(state);
