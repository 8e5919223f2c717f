export type SweepResult = { statusCode: 204 };

// Scheduled trigger: the sweep itself comes later; log one line without the payload.
export const postHocSweep = async (): Promise<SweepResult> => {
  console.log('cc81-posthoc-sweep: not implemented in this version; nothing done');
  return { statusCode: 204 };
};
