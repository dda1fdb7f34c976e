import type { StatisticSet } from './metric-store.js';

/** Parses a CloudWatch statistic name; returns null when the simulator does not support it. */
export function parseStatistic(stat: string): ((set: StatisticSet) => number) | null {
  switch (stat) {
    case 'Sum':
      return (s) => s.sum;
    case 'Average':
      return (s) => (s.sampleCount > 0 ? s.sum / s.sampleCount : Number.NaN);
    case 'Maximum':
      return (s) => s.maximum;
    case 'Minimum':
      return (s) => s.minimum;
    case 'SampleCount':
      return (s) => s.sampleCount;
  }
  const match = /^p(\d{1,2}(?:\.\d{1,2})?|100)$/.exec(stat);
  if (!match) return null;
  const p = Number(match[1]);
  return (s) => s.histogram?.percentile(p) ?? Number.NaN;
}
