/** Downsampling for plotted series: keeps lines under a point budget without losing their shape. */

/** One plotted point; a null `y` is a gap in the line. */
export interface PlotPoint {
  readonly x: number;
  readonly y: number | null;
}

/** At most this many points per line. */
export const MAX_POINTS_PER_LINE = 400;

function buckets<T>(points: readonly T[], maxPoints: number): T[][] {
  const size = Math.ceil(points.length / Math.max(1, maxPoints));
  const out: T[][] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size));
  return out;
}

/**
 * Keeps each bucket's maximum (at its own x), so spikes survive; an all-null bucket becomes a gap.
 * Series already within the budget are returned unchanged.
 */
export function downsampleMax(points: readonly PlotPoint[], maxPoints = MAX_POINTS_PER_LINE): PlotPoint[] {
  if (points.length <= maxPoints) return [...points];
  return buckets(points, maxPoints).map((bucket) => {
    let best: PlotPoint | undefined;
    for (const p of bucket)
      if (p.y !== null && (best?.y === undefined || best.y === null || p.y > best.y)) best = p;
    return best ?? { x: bucket[0]?.x ?? 0, y: null };
  });
}

/** Keeps each bucket's last point: right for cumulative (monotone) series. */
export function downsampleLast(points: readonly PlotPoint[], maxPoints = MAX_POINTS_PER_LINE): PlotPoint[] {
  if (points.length <= maxPoints) return [...points];
  return buckets(points, maxPoints).map((bucket) => bucket[bucket.length - 1] as PlotPoint);
}

/**
 * For step lines: drops points that repeat the previous value (lossless for a step-after line),
 * keeping the last point so the line reaches the end; then `downsampleMax` if still too long.
 */
export function downsampleSteps(points: readonly PlotPoint[], maxPoints = MAX_POINTS_PER_LINE): PlotPoint[] {
  const changes = points.filter((p, i) => i === 0 || i === points.length - 1 || p.y !== points[i - 1]?.y);
  return downsampleMax(changes, maxPoints);
}
