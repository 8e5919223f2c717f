import { z } from 'zod';
import { Change, History, sortHistory } from './change-model';
import { fieldsAt } from './field-snapshot';
import type { DeploymentFindingCode } from './finding-codes';
import type { Person, Reason } from './finding';
import type { Policy } from './policy';
import { approverIds, implementerIds, isImplementationStep, postHocDebt, stepsFromHistory } from './steps';
import { evaluateDeploymentRules } from './evaluate-transition.rule';

/** A Jira issue key as pipelines write it in branches, PR titles and commit messages. */
const ISSUE_KEY = /(?<![A-Za-z0-9_])([A-Z][A-Z0-9_]{0,9}-[1-9]\d{0,9})(?![A-Za-z0-9_])/g;

/** One issue key as a caller names it (`changeKey`): upper-case project key, a dash, a number. */
export const IssueKeySchema = z.string().trim().regex(/^[A-Z][A-Z0-9_]{0,9}-[1-9]\d{0,9}$/, 'an issue key looks like CHG-123');

/** The issue keys named in `texts`, in order of first mention, each once. Never guesses: only KEY-123 as written. */
export const changeKeysIn = (...texts: (string | null | undefined)[]): string[] => {
  const keys: string[] = [];
  for (const text of texts) {
    for (const [key] of (text ?? '').matchAll(ISSUE_KEY)) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
};

export const ShaSchema = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{7,64}$/, 'a commit SHA is 7 to 64 hex digits')
  .transform((s) => s.toLowerCase());

/** One deployment, from the gate or a pipeline's log. `deployer` is the pipeline's name for who deployed (a person or a service). */
export const DeploymentSchema = z.object({
  at: z.date(),
  environment: z.string().trim().min(1).max(100),
  sha: ShaSchema.nullable(),
  deployer: z.string().trim().min(1).max(200),
  /** The deployer's Atlassian account id, when the pipeline knows it: only then can segregation be judged. */
  deployerAccountId: z.string().trim().min(1).nullable(),
  /** Keys named by the caller or found in the ref, PR title or commit message. */
  changeKeys: z.array(z.string()),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** Two SHAs name the same commit when one is a prefix of the other (short and full forms), at 7 digits or more. */
export const sameCommit = (a: string | null, b: string | null): boolean => !!a && !!b && (a.startsWith(b) || b.startsWith(a));

export interface DeploymentJudgement {
  allowed: boolean;
  /** `emergency`: let through before approval; the post-hoc clock runs from here. */
  path: 'approved' | 'emergency' | 'refused';
  reasons: Reason[];
  notices: Reason[];
  /** This deployment starts the emergency post-hoc clock (no emergency implementation or deployment started it before). */
  startsPostHocClock: boolean;
}

const EMERGENCY_STATES: readonly Change['state'][] = ['Draft', 'Assessment', 'Implemented'];
const APPROVED_STATES: readonly Change['state'][] = ['Approved', 'Scheduled', 'Implemented'];

const reason = (code: Reason['code'], message: string, people: Person[] = []): Reason => ({ code, message, people });

/**
 * Whether `deployment` may go out at `now` under `change` (the gate), from the changelog merged with
 * the app's log (`history`). The normal and standard paths need what Mark implemented needs, bar
 * who acts: a standing approval by a non-implementer, no material change since, and the window
 * when the policy blocks outside it. The deployer, when known, must not be an approver. An emergency
 * change not approved beforehand goes out, and owes a post-hoc approval from that moment.
 * `priorEmergencyDeployments`: when earlier emergency deployments of this change were let through.
 */
export const judgeDeployment = (
  change: Change,
  history: History,
  policy: Policy,
  deployment: Pick<Deployment, 'deployerAccountId'>,
  now: Date,
  priorEmergencyDeployments: readonly Date[] = [],
): DeploymentJudgement => {
  const refuse = (...reasons: Reason[]): DeploymentJudgement => ({ allowed: false, path: 'refused', reasons, notices: [], startsPostHocClock: false });
  if (change.state === 'Closed') return refuse(reason('CHANGE_CLOSED', `${change.key} is closed: a closed change covers no new deployment. Raise a new change.`));

  const all = sortHistory(history);
  const sorted = all.filter((e) => e.at.getTime() <= now.getTime());
  const steps = stepsFromHistory(sorted);
  const fields = fieldsAt(change.fields, all, now);
  const verdict = evaluateDeploymentRules({ ...change, fields }, policy, now, sorted);
  const deployer = deployment.deployerAccountId;
  const sod: Reason[] =
    deployer && approverIds(change, steps).has(deployer) && !implementerIds(change, steps).has(deployer)
      ? [reason('DEPLOYER_IS_APPROVER', `The deployer approved ${change.key}: someone other than an approver must deploy it.`, [{ role: 'approver', accountId: deployer }])]
      : [];

  const emergency = fields.changeType === 'emergency';
  const preApproved = APPROVED_STATES.includes(change.state) && verdict.allowed;
  if (emergency && EMERGENCY_STATES.includes(change.state) && !preApproved) {
    const clockRunning = postHocDebt(change, sorted, steps) !== undefined || priorEmergencyDeployments.some((t) => t.getTime() <= now.getTime());
    const due = `${policy.postHoc.windowHours} hours`;
    return {
      allowed: true,
      path: 'emergency',
      reasons: [],
      notices: [
        reason(
          'EMERGENCY_POSTHOC_MISSING',
          clockRunning
            ? `Emergency deployment of ${change.key}: its post-hoc approval is already due within ${due} of the first one.`
            : `Emergency deployment of ${change.key}: it needs a post-hoc approval by someone other than the implementer within ${due} from now.`,
        ),
      ],
      startsPostHocClock: !clockRunning,
    };
  }
  if (!APPROVED_STATES.includes(change.state)) {
    return refuse(reason('NOT_APPROVED', `${change.key} is in ${change.state}: it must be approved (by someone other than the implementer) before it is deployed.`), ...sod);
  }
  const reasons = [...verdict.reasons, ...sod];
  if (reasons.length) return refuse(...reasons);
  return { allowed: true, path: 'approved', reasons: [], notices: verdict.notices, startsPostHocClock: false };
};

/** Maps a gate reason to what reconciliation reports for a deployment that went out anyway. */
const FINDING_OF_REASON: Partial<Record<Reason['code'], DeploymentFindingCode>> = {
  NOT_APPROVED: 'DEPLOYED_BEFORE_APPROVAL',
  APPROVER_IS_IMPLEMENTER: 'DEPLOYED_BEFORE_APPROVAL',
  STANDARD_RISK_TOO_HIGH: 'DEPLOYED_BEFORE_APPROVAL',
  CHANGE_CLOSED: 'DEPLOYED_BEFORE_APPROVAL',
  OUTSIDE_WINDOW: 'DEPLOYED_OUTSIDE_WINDOW',
  WINDOW_INVALID: 'DEPLOYED_OUTSIDE_WINDOW',
  CHANGED_AFTER_APPROVAL: 'DEPLOYED_AFTER_CHANGE',
  DEPLOYER_IS_APPROVER: 'DEPLOYER_IS_APPROVER',
};

export interface DeploymentFinding {
  code: DeploymentFindingCode;
  message: string;
}

/**
 * What an auditor writes up for a deployment that went out at its own time under `change`, judged
 * with what was on record then (the window is judged whatever the policy's enforcement: a deployment
 * outside it is a finding either way). One finding per code. A deployment on a Closed change counts
 * as before approval only if it went out after the close.
 */
export const deploymentFindings = (change: Change, history: History, policy: Policy, deployment: Pick<Deployment, 'at' | 'deployerAccountId'>): DeploymentFinding[] => {
  const at = deployment.at;
  const state = sortHistory(history.filter((e) => e.kind === 'status' && e.at.getTime() <= at.getTime())).pop();
  const then: Change = { ...change, state: state?.kind === 'status' ? state.to : 'Draft' };
  const judged = judgeDeployment(then, history, { ...policy, windowEnforcement: 'block' }, deployment, at);
  const found = new Map<DeploymentFindingCode, string>();
  for (const r of judged.reasons) {
    const code = FINDING_OF_REASON[r.code];
    if (code && !found.has(code)) found.set(code, r.message);
  }
  return [...found].map(([code, message]) => ({ code, message }));
};

/** Whether a change is on record as implemented (and so should have a deployment). */
export const wasImplemented = (history: History): boolean => stepsFromHistory(sortHistory(history)).some(isImplementationStep);
