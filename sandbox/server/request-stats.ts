/** Request counts per route and status, and injected faults: for benchmarks (`GET /sandbox/admin/stats`). */
export interface RequestStatsSnapshot {
  total: number;
  /** By `METHOD /template` (`GET /rest/api/3/issue/{issueIdOrKey}`); unknown routes count as `unmatched`. */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  faults: { latency: number; rate429: number; rate500: number };
}

export interface RequestStats {
  record(route: string, status: number): void;
  fault(kind: 'latency' | 'rate429' | 'rate500'): void;
  snapshot(): RequestStatsSnapshot;
  reset(): void;
}

export const createRequestStats = (): RequestStats => {
  let total = 0;
  let byRoute = new Map<string, number>();
  let byStatus = new Map<string, number>();
  let faults = { latency: 0, rate429: 0, rate500: 0 };
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  return {
    record: (route, status) => {
      total += 1;
      bump(byRoute, route);
      bump(byStatus, String(status));
    },
    fault: (kind) => {
      faults[kind] += 1;
    },
    snapshot: () => ({ total, byRoute: Object.fromEntries(byRoute), byStatus: Object.fromEntries(byStatus), faults: { ...faults } }),
    reset: () => {
      total = 0;
      byRoute = new Map();
      byStatus = new Map();
      faults = { latency: 0, rate429: 0, rate500: 0 };
    },
  };
};
