import type { Clock } from '#domain';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private instant: Date) {}

  now(): Date {
    return new Date(this.instant);
  }

  /** Sets the time to noon, China time, of a date. */
  setDate(date: string): void {
    this.instant = new Date(`${date}T12:00:00+08:00`);
  }

  advanceDays(days: number): void {
    this.instant = new Date(this.instant.getTime() + days * 86_400_000);
  }
}
