import { describe, expect, it } from 'vitest';
import { billedProvisionedUsd } from '../../sim/billing.js';
import { LAMBDA_PRICES_USD } from '../../sim/fleet/aws-behaviour.js';

/** USD of `gbSeconds` of provisioned concurrency at the list price. */
const usd = (gbSeconds: number): number => gbSeconds * LAMBDA_PRICES_USD.perGbSecondProvisionedConcurrency;

describe('billedProvisionedUsd: provisioned concurrency in 5-minute increments', () => {
  it('bills nothing without provisioned concurrency', () => {
    expect(billedProvisionedUsd([], 1024)).toBe(0);
    expect(billedProvisionedUsd([0, 0, 0], 1024)).toBe(0);
  });

  it('rounds one minute of configuration up to 5 minutes', () => {
    // 10 environments × 300 s × 1 GB = 3,000 GB-s.
    expect(billedProvisionedUsd([10], 1024)).toBeCloseTo(usd(3000), 12);
    expect(billedProvisionedUsd([10], 1024)).toBeCloseTo(0.0125001, 9);
  });

  it('bills exactly 5 minutes for a 5-minute run and 10 minutes for a 6-minute run', () => {
    expect(billedProvisionedUsd([10, 10, 10, 10, 10], 1024)).toBeCloseTo(usd(3000), 12);
    expect(billedProvisionedUsd([10, 10, 10, 10, 10, 10], 1024)).toBeCloseTo(usd(6000), 12);
  });

  it('rounds each configuration run separately', () => {
    // 10 for 2 min → 300 s; 20 for 6 min → 600 s; off; 10 for 1 min → 300 s.
    const levels = [10, 10, 20, 20, 20, 20, 20, 20, 0, 10];
    const gbSeconds = 10 * 300 + 20 * 600 + 10 * 300;

    expect(billedProvisionedUsd(levels, 1024)).toBeCloseTo(usd(gbSeconds), 12);
    expect(billedProvisionedUsd(levels, 1024)).toBeCloseTo(0.0750006, 9);
    // Not the unrounded 10×2 + 20×6 + 10×1 = 150 environment-minutes.
    expect(billedProvisionedUsd(levels, 1024)).toBeGreaterThan(usd(150 * 60));
  });

  it('starts a new run when the level changes back, and scales with memory', () => {
    // 5, then 6, then 5: three runs of one minute each, each billed 300 s.
    expect(billedProvisionedUsd([5, 6, 5], 1024)).toBeCloseTo(usd((5 + 6 + 5) * 300), 12);
    expect(billedProvisionedUsd([5, 6, 5], 512)).toBeCloseTo(usd((5 + 6 + 5) * 300 * 0.5), 12);
    expect(billedProvisionedUsd([4, 4, 4], 2048)).toBeCloseTo(usd(4 * 300 * 2), 12);
  });
});
