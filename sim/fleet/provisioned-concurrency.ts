import type { Rng } from '../rng.js';
import { PC_ALLOCATION_DELAY_SECONDS, PC_RELEASE_DELAY_SECONDS } from './aws-behaviour.js';

/** Allocation status, as `GetProvisionedConcurrencyConfig` reports it. */
export type ProvisionedConcurrencyStatus = 'IN_PROGRESS' | 'READY' | 'FAILED';

/** The provisioned concurrency configuration of one alias, and its allocation progress. */
export interface ProvisionedConcurrencySnapshot {
  readonly requested: number;
  /** Environments allocated and routable now. */
  readonly allocated: number;
  readonly status: ProvisionedConcurrencyStatus;
  readonly lastModifiedMillis: number;
  /** When the pending change completes, if one is in progress. */
  readonly readyAtMillis: number | null;
}

/**
 * Provisioned concurrency of one alias: a requested value that becomes allocated after a delay.
 * `null` snapshot = no configuration (the API answers ProvisionedConcurrencyConfigNotFoundException).
 */
export class ProvisionedConcurrency {
  #config: {
    requested: number;
    allocated: number;
    lastModifiedMillis: number;
    readyAtMillis: number | null;
  } | null = null;

  constructor(private readonly rng: Rng) {}

  /** Configures `requested` at `nowMillis`; returns when it will be ready. */
  put(requested: number, nowMillis: number): number {
    const allocated = this.#config?.allocated ?? 0;
    const delaySeconds =
      requested > allocated
        ? this.rng.uniform(PC_ALLOCATION_DELAY_SECONDS.min, PC_ALLOCATION_DELAY_SECONDS.max)
        : PC_RELEASE_DELAY_SECONDS;
    const readyAtMillis = nowMillis + Math.round(delaySeconds * 1000);
    this.#config = { requested, allocated, lastModifiedMillis: nowMillis, readyAtMillis };
    return readyAtMillis;
  }

  /** Sets a READY configuration immediately (the scenario's initial state). */
  putReady(requested: number, nowMillis: number): void {
    this.#config = { requested, allocated: requested, lastModifiedMillis: nowMillis, readyAtMillis: null };
  }

  /** Removes the configuration; its environments stop serving at once. */
  delete(): void {
    this.#config = null;
  }

  /** Completes a pending allocation due by `nowMillis`; returns true when one completed. */
  advance(nowMillis: number): boolean {
    const config = this.#config;
    if (!config || config.readyAtMillis === null || config.readyAtMillis > nowMillis) return false;
    config.allocated = config.requested;
    config.readyAtMillis = null;
    return true;
  }

  /** Environments that serve invocations now. */
  get allocated(): number {
    return this.#config?.allocated ?? 0;
  }

  /** Environments configured (and billed). */
  get requested(): number {
    return this.#config?.requested ?? 0;
  }

  snapshot(): ProvisionedConcurrencySnapshot | null {
    const c = this.#config;
    if (!c) return null;
    return {
      requested: c.requested,
      allocated: c.allocated,
      status: c.readyAtMillis === null ? 'READY' : 'IN_PROGRESS',
      lastModifiedMillis: c.lastModifiedMillis,
      readyAtMillis: c.readyAtMillis,
    };
  }
}
