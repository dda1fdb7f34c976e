import type { TrafficSpec } from '../scenario-types.js';

/**
 * Mean arrival rate (requests per second) at `epochMillis`, `minute` minutes after the scenario
 * start: baseline × diurnal shape × bursts. Negative minutes (the warm-up) see no bursts.
 */
export function arrivalRatePerSecond(traffic: TrafficSpec, minute: number, epochMillis: number): number {
  const amplitude = traffic.diurnalAmplitude ?? 0;
  const peakHour = traffic.diurnalPeakHourUtc ?? 14;
  const hourOfDay = (epochMillis / 3_600_000) % 24;
  const diurnal = 1 + amplitude * Math.cos((2 * Math.PI * (hourOfDay - peakHour)) / 24);
  let multiplier = 1;
  for (const burst of traffic.bursts ?? []) multiplier *= burstMultiplier(burst, minute);
  return Math.max(0, traffic.baselineRps * diurnal * multiplier);
}

function burstMultiplier(burst: NonNullable<TrafficSpec['bursts']>[number], minute: number): number {
  if (minute < burst.startMinute || minute >= burst.endMinute) return 1;
  const ramp = burst.rampMinutes ?? 0;
  if (ramp <= 0) return burst.multiplier;
  const edge = Math.min(minute - burst.startMinute, burst.endMinute - minute);
  const share = Math.min(1, edge / ramp);
  return 1 + (burst.multiplier - 1) * share;
}
