import { IDLE_RECLAIM_SECONDS } from './aws-behaviour.js';

interface Cohort {
  lastUsedMillis: number;
  count: number;
}

/**
 * The warm on-demand execution environments of one function, as cohorts by last use (oldest
 * first). Busy demand takes the most recently used environments; environments idle longer than
 * the reclaim time are removed.
 */
export class EnvironmentPool {
  readonly #cohorts: Cohort[] = [];
  #size = 0;

  constructor(private readonly idleReclaimMillis = IDLE_RECLAIM_SECONDS * 1000) {}

  /** Warm environments available. */
  get size(): number {
    return this.#size;
  }

  /** Removes environments idle since before `nowMillis − reclaim`. */
  reclaimIdle(nowMillis: number): number {
    let removed = 0;
    while (
      this.#cohorts.length > 0 &&
      (this.#cohorts[0] as Cohort).lastUsedMillis < nowMillis - this.idleReclaimMillis
    ) {
      removed += (this.#cohorts.shift() as Cohort).count;
    }
    this.#size -= removed;
    return removed;
  }

  /** Removes `count` environments, oldest first (recycling for maintenance). */
  remove(count: number): void {
    let left = Math.min(count, this.#size);
    this.#size -= left;
    while (left > 0 && this.#cohorts.length > 0) {
      const first = this.#cohorts[0] as Cohort;
      const take = Math.min(left, first.count);
      first.count -= take;
      left -= take;
      if (first.count === 0) this.#cohorts.shift();
    }
  }

  /** Marks `used` warm environments as used at `nowMillis` and adds `created` new ones. */
  use(used: number, created: number, nowMillis: number): void {
    let left = Math.min(used, this.#size);
    const touched = left + created;
    while (left > 0 && this.#cohorts.length > 0) {
      const last = this.#cohorts[this.#cohorts.length - 1] as Cohort;
      const take = Math.min(left, last.count);
      last.count -= take;
      left -= take;
      if (last.count === 0) this.#cohorts.pop();
    }
    if (touched > 0) {
      const last = this.#cohorts[this.#cohorts.length - 1];
      if (last && last.lastUsedMillis === nowMillis) last.count += touched;
      else this.#cohorts.push({ lastUsedMillis: nowMillis, count: touched });
    }
    this.#size += created;
  }
}
