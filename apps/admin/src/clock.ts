/** Source of the current time; tests pass a fixed or stepping clock. */
export type Clock = () => Date;

/** The wall clock. */
export const systemClock: Clock = () => new Date();

/** ISO-8601 UTC string of a time (the register's time format). */
export function iso(date: Date): string {
  return date.toISOString();
}
