/**
 * Fault injection for tests and benchmarks: added latency, and 429 / 500 answers at given rates,
 * drawn from a seeded PRNG so a run is repeatable. Read from the environment at start and
 * changeable at runtime (`PUT /sandbox/admin/faults`).
 */
import { z } from 'zod';
import { seededRandom } from '../../src/shared/seeded-random';

export interface FaultPlan {
  /** Added to every faultable request. */
  latencyMs: number;
  /** Share of requests answered 429 (0–1). */
  rate429: number;
  /** `Retry-After` of those 429s. */
  retryAfterSeconds: number;
  /** Share of requests answered 500 (0–1). */
  rate500: number;
  /** PRNG seed; the same seed and request sequence gives the same faults. */
  seed: number;
}

export const NO_FAULTS: FaultPlan = { latencyMs: 0, rate429: 0, retryAfterSeconds: 1, rate500: 0, seed: 1 };

const fields = {
  latencyMs: z.number().int().min(0).max(60_000),
  rate429: z.number().min(0).max(1),
  retryAfterSeconds: z.number().int().min(0).max(3600),
  rate500: z.number().min(0).max(1),
  seed: z.number().int(),
};
const rateSum = (plan: FaultPlan) => plan.rate429 + plan.rate500 <= 1;
const RATE_SUM_MESSAGE = 'rate429 + rate500 must be at most 1';

export const FaultPlanSchema = z.strictObject(fields).refine(rateSum, { message: RATE_SUM_MESSAGE, path: ['rate500'] });
/** A runtime change: any subset of the plan. */
export const FaultPlanPatchSchema = z.strictObject(fields).partial();

const ENV: Record<keyof FaultPlan, string> = {
  latencyMs: 'SANDBOX_LATENCY_MS',
  rate429: 'SANDBOX_429_RATE',
  retryAfterSeconds: 'SANDBOX_RETRY_AFTER',
  rate500: 'SANDBOX_500_RATE',
  seed: 'SANDBOX_FAULT_SEED',
};

/** The plan from `SANDBOX_LATENCY_MS`, `SANDBOX_429_RATE`, `SANDBOX_RETRY_AFTER`, `SANDBOX_500_RATE`, `SANDBOX_FAULT_SEED`. */
export const faultPlanFromEnv = (env: Record<string, string | undefined>): FaultPlan => {
  const plan: Record<string, unknown> = { ...NO_FAULTS };
  for (const [key, name] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    plan[key] = Number(raw);
  }
  const parsed = FaultPlanSchema.safeParse(plan);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof FaultPlan | undefined;
      return `${key ? ENV[key] : 'fault plan'}: ${issue.message}`;
    });
    throw new Error(`Invalid sandbox fault settings: ${problems.join('; ')}`);
  }
  return parsed.data;
};

const prng = seededRandom;

export type Fault = 'none' | '429' | '500';

export interface FaultController {
  plan(): FaultPlan;
  /** Applies a validated patch and restarts the PRNG from the (new) seed. */
  update(patch: Partial<FaultPlan>): FaultPlan | { error: string };
  /** The fault for the next faultable request. */
  draw(): Fault;
}

export const createFaultController = (initial: FaultPlan = NO_FAULTS): FaultController => {
  let current = FaultPlanSchema.parse(initial);
  let random = prng(current.seed);
  return {
    plan: () => ({ ...current }),
    update: (patch) => {
      const next = { ...current, ...patch };
      if (!rateSum(next)) return { error: RATE_SUM_MESSAGE };
      current = next;
      random = prng(current.seed);
      return { ...current };
    },
    draw: () => {
      if (current.rate429 === 0 && current.rate500 === 0) return 'none';
      const r = random();
      if (r < current.rate429) return '429';
      if (r < current.rate429 + current.rate500) return '500';
      return 'none';
    },
  };
};
