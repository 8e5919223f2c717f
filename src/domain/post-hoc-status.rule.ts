import { Change, History, sortHistory } from './change-model';
import { addBusinessHours } from './business-hours';
import type { Policy } from './policy';
import { implementerIds, postHocDebt, stepsFromHistory } from './steps';

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
 */
export const postHocStatus = (change: Change, history: History, policy: Policy, now: Date): PostHocStatus => {
  const t = now.getTime();
  const sorted = sortHistory(history.filter((entry) => entry.at.getTime() <= t));
  const steps = stepsFromHistory(sorted);
  // The clock starts at the first implementation that skipped pre-approval while the change was an
  // emergency; a later reclassification does not stop it.
  const firstImpl = postHocDebt(change, sorted, steps);
  if (!firstImpl) return { status: 'not-needed' };

  const { windowHours, warnBeforeHours } = policy.postHoc;
  const clock: Clock = {
    implementedAt: firstImpl.at,
    implementerAccountId: firstImpl.accountId,
    dueAt: addBusinessHours(firstImpl.at, windowHours, policy.businessHours),
    warnAt: addBusinessHours(firstImpl.at, windowHours - warnBeforeHours, policy.businessHours),
  };
  const implementers = implementerIds(change, steps);
  const approval = steps.find(
    (s) => s.edge === 'postHocApprove' && s.at.getTime() >= firstImpl.at.getTime() && s.accountId !== null && !implementers.has(s.accountId),
  );
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
