/**
 * The value of one feature flag as the function's environments see it: after a change, the share
 * of environments on the new value grows linearly over the rollout time (deployment duration +
 * extension poll interval), from the share at the moment of the change.
 */
export class FlagRollout {
  #fromShare: number;
  #toShare: number;
  #startMillis = Number.NEGATIVE_INFINITY;
  #rampMillis = 0;

  constructor(initial: boolean) {
    this.#fromShare = initial ? 1 : 0;
    this.#toShare = this.#fromShare;
  }

  /** Starts moving environments to `value` at `startMillis`; all see it at `startMillis + rampMillis`. */
  change(value: boolean, startMillis: number, rampMillis: number): void {
    this.#fromShare = this.enabledShare(startMillis);
    this.#toShare = value ? 1 : 0;
    this.#startMillis = startMillis;
    this.#rampMillis = Math.max(0, rampMillis);
  }

  /** Share (0..1) of invocations that see the flag enabled at `atMillis`. */
  enabledShare(atMillis: number): number {
    if (atMillis <= this.#startMillis) return this.#fromShare;
    if (this.#rampMillis === 0) return this.#toShare;
    const progress = Math.min(1, (atMillis - this.#startMillis) / this.#rampMillis);
    return this.#fromShare + (this.#toShare - this.#fromShare) * progress;
  }

  /** When the latest change is seen by every environment. */
  get effectiveAtMillis(): number {
    return this.#startMillis + this.#rampMillis;
  }
}
