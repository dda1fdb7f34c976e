/**
 * Callers' retries of one function: a request that fails (error or throttle) comes back in the
 * next step as its next attempt, until it has made `maxAttempts`. Failures of a step are shared
 * among its attempts in proportion to their counts (every attempt fails alike).
 */
export class ClientRetries {
  /** `#due[k]`: requests arriving in the next step as attempt k + 2. */
  #due: number[];
  #arriving: number[];

  constructor(readonly maxAttempts: number) {
    this.#due = new Array(Math.max(0, maxAttempts - 1)).fill(0);
    this.#arriving = [...this.#due];
  }

  /** Retries arriving in this step (call once per step, before `record`). */
  due(): number {
    this.#arriving = this.#due;
    this.#due = new Array(this.#arriving.length).fill(0);
    return this.#arriving.reduce((a, b) => a + b, 0);
  }

  /** Records the step's outcome: `requests` of which `retried` were retries, `failures` failed. */
  record(requests: number, retried: number, failures: number): void {
    if (this.#due.length === 0 || requests <= 0 || failures <= 0) return;
    const share = Math.min(1, failures / requests);
    const firstAttempts = requests - retried;
    // Attempt 1 fails into attempt 2; attempt k + 2 fails into attempt k + 3 while attempts remain.
    this.#due[0] = (this.#due[0] ?? 0) + Math.round(firstAttempts * share);
    for (let k = 0; k + 1 < this.#due.length; k += 1) {
      this.#due[k + 1] = (this.#due[k + 1] ?? 0) + Math.round((this.#arriving[k] ?? 0) * share);
    }
  }
}
