import { peakConcurrency } from '../fleet/occupancy.js';
import type { FunctionSpec } from '../scenario-types.js';
import type { Peer, PeerAction } from './peer.js';

/**
 * A scheduled warmer: an EventBridge schedule invokes the function every 5 minutes with N
 * concurrent pings, so N environments stay warm (the pattern of warmer plugins such as
 * serverless-plugin-warmup, whose `concurrency` option sets N). It keeps on-demand environments
 * from being reclaimed; it does not add capacity ahead of a burst larger than N, and every ping
 * is a billed invocation. N here is sized for the function's planned peak (the diurnal peak and
 * the scheduled bursts of its traffic, by Little's law and the fleet's own Poisson peak): a
 * warmer configured by someone who knows the traffic, but not the faults.
 */
export const WARMER_PERIOD_MINUTES = 5;

/** The planned peak concurrency of a function (no faults). */
export function plannedPeakConcurrency(fn: FunctionSpec): number {
  const traffic = fn.traffic;
  const burst = Math.max(1, ...(traffic.bursts ?? []).map((b) => b.multiplier));
  const peakRps = traffic.baselineRps * (1 + (traffic.diurnalAmplitude ?? 0)) * burst;
  const sigma = fn.latencySigma;
  const meanSeconds =
    (fn.baseLatencyMillis * Math.exp((sigma * sigma) / 2) +
      (fn.dependency?.latencyMillis ?? 0) +
      (fn.dependency?.optionalLatencyMillis ?? 0)) /
    1000;
  return Math.max(1, peakConcurrency(peakRps * meanSeconds));
}

export function scheduledWarmer(): Peer {
  const actions: PeerAction[] = [];
  const sizes = new Map<string, number>();
  return {
    name: 'scheduled-warmer',
    appliesTo: () => true,
    actions,
    attach(account) {
      for (const fn of account.scenario.functions) sizes.set(fn.target, plannedPeakConcurrency(fn));
    },
    tick(account, nowMillis) {
      const minute = Math.round((nowMillis - account.startMillis) / 60_000);
      if (minute % WARMER_PERIOD_MINUTES !== 0) return;
      for (const [target, n] of sizes) account.fleet(target).ping(n);
    },
  };
}
