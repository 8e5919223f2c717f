import { Change, History, sortHistory } from './change-model';
import { addBusinessHours } from './business-hours';
import type { Policy } from './policy';
import { implementerIds, postHocDebt, Step, stepsFromHistory } from './steps';

interface Clock {
  implementedAt: Date;
  implementerAccountId: string | null;
  dueAt: Date;
  warnAt: Date;
}

export type PostHocStatus =
  | { status: 'not-needed' }
  | ({ status: 'pending' } & Clock)
  | ({ status: 'warning' } & Clock)
  | ({ status: 'overdue'; overdueByMs: number } & Clock)
  | ({ status: 'satisfied-on-time'; approvedAt: Date; approverAccountId: string } & Clock)
  | ({ status: 'satisfied-late'; approvedAt: Date; approverAccountId: string; lateByMs: number } & Clock);

/**
 * Where an emergency change stands against its post-hoc approval deadline at `now`.
 * Only history up to `now` counts. Business hours stretch the window when configured.
 * `emergencyDeployments`: when the deployment gate let this change out on the emergency path
 * (issue 19); the first one starts the clock if no emergency implementation started it earlier.
 */
export const postHocStatus = (change: Change, history: History, policy: Policy, now: Date, emergencyDeployments: readonly Date[] = []): PostHocStatus => {
  const t = now.getTime();
  const sorted = sortHistory(history.filter((entry) => entry.at.getTime() <= t));
  const steps = stepsFromHistory(sorted);
  // The clock starts at the first implementation that skipped pre-approval while the change was an
  // emergency; a later reclassification does not stop it.
  const firstImpl = postHocDebt(change, sorted, steps);
  const firstDeploy = emergencyDeployments.filter((d) => d.getTime() <= t).sort((a, b) => a.getTime() - b.getTime())[0];
  const byDeploy = firstDeploy !== undefined && (!firstImpl || firstDeploy.getTime() < firstImpl.at.getTime());
  if (!firstImpl && !byDeploy) return { status: 'not-needed' };
  const start = byDeploy ? firstDeploy : firstImpl!.at;

  const { windowHours, warnBeforeHours } = policy.postHoc;
  const clock: Clock = {
    implementedAt: start,
    implementerAccountId: byDeploy ? null : firstImpl!.accountId,
    dueAt: addBusinessHours(start, windowHours, policy.businessHours),
    warnAt: addBusinessHours(start, windowHours - warnBeforeHours, policy.businessHours),
  };
  const implementers = implementerIds(change, steps);
  // A clock a deployment started can also be met by the ordinary approval, if it came after the deployment.
  const approves = (edge: Step['edge']) => edge === 'postHocApprove' || (byDeploy && edge === 'approve');
  const approval = steps.find((s) => approves(s.edge) && s.at.getTime() >= start.getTime() && s.accountId !== null && !implementers.has(s.accountId));
  if (approval?.accountId) {
    const lateByMs = approval.at.getTime() - clock.dueAt.getTime();
    return lateByMs > 0
      ? { status: 'satisfied-late', ...clock, approvedAt: approval.at, approverAccountId: approval.accountId, lateByMs }
      : { status: 'satisfied-on-time', ...clock, approvedAt: approval.at, approverAccountId: approval.accountId };
  }
  if (t >= clock.dueAt.getTime()) return { status: 'overdue', ...clock, overdueByMs: t - clock.dueAt.getTime() };
  if (t >= clock.warnAt.getTime()) return { status: 'warning', ...clock };
  return { status: 'pending', ...clock };
};
