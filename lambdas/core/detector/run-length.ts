import { SortedWindow } from './sorted-window.js';

/** Values of finished runs moved into the baseline per point: more than one, so a backlog drains. */
const FEED_PER_POINT = 2;

/**
 * How long the series has repeated exactly the same value (its stillness), and the run lengths it
 * showed over its recent past. Each point's statistic is the number of times its value repeated the
 * previous one in a row (0 when it changed). A run joins the baseline only once it has ended, so a
 * metric stuck at one value is judged against the runs before it, never against itself.
 *
 * Bounded work: the points of a finished run wait in a queue and are fed into the baseline at most
 * two per point, so every update costs O(capacity) whatever the run's length. The queue holds at
 * most `capacity` values (older ones would fall out of the baseline anyway).
 */
export class RunLength {
  /** Run lengths of past points whose run has ended. */
  readonly baseline: SortedWindow;
  /** Finished runs not yet fed in, oldest first: `[next value to feed, last value]`. */
  private readonly queue: [number, number][] = [];
  private queued = 0;
  private previous = Number.NaN;
  private run = 0;

  constructor(capacity: number) {
    this.baseline = new SortedWindow(capacity);
  }

  /** The current point's statistic: repeats of the same value in a row up to it. */
  get current(): number {
    return this.run;
  }

  /** Takes the next point; judge {@link current} against {@link baseline} after this. */
  push(value: number): void {
    if (value === this.previous) {
      this.run++;
    } else {
      if (!Number.isNaN(this.previous)) this.enqueue(this.run);
      this.run = 0;
    }
    this.previous = value;
    this.feed();
  }

  /** Queues the points of a finished run whose last point repeated `last` times. */
  private enqueue(last: number): void {
    this.queue.push([0, last]);
    this.queued += last + 1;
    // Drop the oldest queued points beyond the baseline's capacity: they would be evicted unseen.
    let excess = this.queued - this.baseline.capacity;
    while (excess > 0) {
      const first = this.queue[0] as [number, number];
      const drop = Math.min(excess, first[1] - first[0] + 1);
      first[0] += drop;
      this.queued -= drop;
      excess -= drop;
      if (first[0] > first[1]) this.queue.shift();
    }
  }

  private feed(): void {
    for (let n = 0; n < FEED_PER_POINT && this.queue.length > 0; n++) {
      const first = this.queue[0] as [number, number];
      this.baseline.push(first[0]);
      first[0]++;
      this.queued--;
      if (first[0] > first[1]) this.queue.shift();
    }
  }
}
