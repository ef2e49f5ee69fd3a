/**
 * The emulator's clock. It never moves by itself: tests move it with `setTime` / `advance`,
 * so every status the emulator reports is a pure function of this clock.
 */
export class EmulatorClock {
  private static toMs(d: Date, what: string): number {
    const ms = d instanceof Date ? d.getTime() : NaN;
    if (!Number.isFinite(ms)) {
      throw new Error(`emulator clock: ${what} must be a valid Date`);
    }
    return ms;
  }

  private ms: number;

  constructor(start: Date) {
    this.ms = EmulatorClock.toMs(start, 'start');
  }

  public now(): Date {
    return new Date(this.ms);
  }

  public nowMs(): number {
    return this.ms;
  }

  public setTime(d: Date): void {
    this.ms = EmulatorClock.toMs(d, 'setTime');
  }

  public advance(ms: number): void {
    if (!Number.isFinite(ms)) {
      throw new Error('emulator clock: advance() needs a finite number of milliseconds');
    }
    this.ms += ms;
  }
}
