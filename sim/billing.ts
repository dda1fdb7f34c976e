import { LAMBDA_PRICES_USD, PC_BILLING_INCREMENT_SECONDS } from './fleet/aws-behaviour.js';

/**
 * Provisioned concurrency as billed: every configuration (a run of minutes at one nonzero
 * level) is charged for its duration rounded up to the billing increment (5 minutes).
 * `levels[i]` is the level configured during minute i.
 */
export function billedProvisionedUsd(levels: readonly number[], memoryMb: number): number {
  const gb = memoryMb / 1024;
  let usd = 0;
  let i = 0;
  while (i < levels.length) {
    const level = levels[i] as number;
    let j = i;
    while (j < levels.length && levels[j] === level) j += 1;
    if (level > 0) {
      const seconds = (j - i) * 60;
      const billed = Math.ceil(seconds / PC_BILLING_INCREMENT_SECONDS) * PC_BILLING_INCREMENT_SECONDS;
      usd += level * billed * gb * LAMBDA_PRICES_USD.perGbSecondProvisionedConcurrency;
    }
    i = j;
  }
  return usd;
}
