/** The fixed clock every domain test uses. */
export const T0 = new Date('2026-03-02T08:00:00.000Z'); // a Monday
export const at = (hoursAfterT0: number): Date => new Date(T0.getTime() + hoursAfterT0 * 3_600_000);
