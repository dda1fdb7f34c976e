/** Anything that can tell the time, in epoch milliseconds. Handlers accept one so tests can pass a simulated clock. */
export interface Clock {
  now(): number;
}

/**
 * A simulated clock: time moves only when `advanceTo` is called, so waits cost no wall time.
 * Monotonic: it never goes backwards.
 */
export class SimClock implements Clock {
  #nowMillis: number;

  constructor(startMillis: number) {
    if (!Number.isFinite(startMillis))
      throw new RangeError(`SimClock: start must be a finite epoch ms, got ${startMillis}`);
    this.#nowMillis = startMillis;
  }

  /** Current simulated time, epoch milliseconds. */
  now(): number {
    return this.#nowMillis;
  }

  /** Current simulated time as an ISO-8601 string. */
  nowIso(): string {
    return new Date(this.#nowMillis).toISOString();
  }

  /** Moves the clock forward to `millis`; rejects a move backwards. */
  advanceTo(millis: number): void {
    if (millis < this.#nowMillis) {
      throw new RangeError(
        `SimClock.advanceTo: ${new Date(millis).toISOString()} is before now (${this.nowIso()}); the clock is monotonic`,
      );
    }
    this.#nowMillis = millis;
  }
}
