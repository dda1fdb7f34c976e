import type { Rng } from '../rng.js';
import type { TrafficSpec } from '../scenario-types.js';

type RandomBurstSpec = NonNullable<TrafficSpec['randomBursts']>;

const HOUR = 3_600_000;

/**
 * Unplanned short bursts: in every clock hour a Poisson number of bursts (mean `perHour`) start
 * at uniform times. Each hour draws from its own stream, so the bursts at a moment do not
 * depend on which moments were asked about before.
 */
export class RandomBursts {
  readonly #hours = new Map<number, readonly number[]>();

  constructor(
    private readonly spec: RandomBurstSpec,
    private readonly rng: Rng,
  ) {}

  /** Traffic multiplier at `epochMillis` (1 outside every burst). */
  multiplierAt(epochMillis: number): number {
    const durationMillis = this.spec.durationMinutes * 60_000;
    const hour = Math.floor(epochMillis / HOUR);
    let multiplier = 1;
    // A burst that started in an earlier hour may still be running.
    for (let h = hour - Math.ceil(durationMillis / HOUR); h <= hour; h += 1) {
      for (const start of this.#startsIn(h)) {
        if (epochMillis >= start && epochMillis < start + durationMillis) multiplier *= this.spec.multiplier;
      }
    }
    return multiplier;
  }

  #startsIn(hour: number): readonly number[] {
    let starts = this.#hours.get(hour);
    if (!starts) {
      const rng = this.rng.fork(String(hour));
      const count = rng.poisson(this.spec.perHour);
      starts = Array.from({ length: count }, () => hour * HOUR + Math.floor(rng.next() * HOUR));
      this.#hours.set(hour, starts);
      if (this.#hours.size > 48) this.#hours.delete(this.#hours.keys().next().value as number);
    }
    return starts;
  }
}
