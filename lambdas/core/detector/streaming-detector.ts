import { SeasonalEnvelope } from './seasonal-envelope.js';
import { SortedWindow } from './sorted-window.js';
import { lowerTailProbability, upperTailProbability } from './tail-probability.js';

export interface DetectorConfig {
  readonly historyPoints: number;
  readonly warmupPoints: number;
  readonly meanWindows: readonly number[];
  readonly varianceWindow: number;
  readonly tailFraction: number;
  readonly scoreDecades: number;
  readonly refractoryPoints: number;
  readonly minScaleFraction: number;
  readonly alarmLevel: number;
  readonly suppressFactor: number;
  readonly seasonMode: string;
  readonly perRefScale: boolean;
  readonly clip: number;
  readonly innerFraction: number;
  readonly seasonDays: number;
  readonly seasonToleranceMinutes: number;
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = {
  historyPoints: 864,
  warmupPoints: 48,
  meanWindows: [6, 36],
  varianceWindow: 36,
  tailFraction: 0.05,
  scoreDecades: 10,
  refractoryPoints: 72,
  minScaleFraction: 0.01,
  alarmLevel: 0.5,
  suppressFactor: 0.3,
  seasonMode: 'off',
  perRefScale: false,
  clip: 0,
  innerFraction: 0.05,
  seasonDays: 2,
  seasonToleranceMinutes: 30,
};

export interface StreamingDetector {
  update(timestampMs: number, value: number): number;
  which: string;
}

class Ring {
  private readonly buf: Float64Array;
  private head = 0;
  size = 0;
  sum = 0;
  constructor(readonly capacity: number) {
    this.buf = new Float64Array(capacity);
  }
  /** Pushes and returns the value that fell out (or NaN). */
  push(v: number): number {
    let out = Number.NaN;
    if (this.size === this.capacity) {
      out = this.buf[this.head] as number;
      this.sum -= out;
    } else this.size++;
    this.buf[this.head] = v;
    this.sum += v;
    this.head = (this.head + 1) % this.capacity;
    return out;
  }
  get full(): boolean {
    return this.size === this.capacity;
  }
  get mean(): number {
    return this.sum / this.size;
  }
}

class DelayLine {
  private readonly ring: Ring;
  constructor(delay: number) {
    this.ring = new Ring(delay);
  }
  push(v: number): number {
    return this.ring.push(v);
  }
}

export function createDetector(overrides: Partial<DetectorConfig> = {}): StreamingDetector {
  const c: DetectorConfig = { ...DEFAULT_DETECTOR_CONFIG, ...overrides };
  const valueRef = new SortedWindow(c.historyPoints);
  const means = c.meanWindows.map((k) => ({
    ring: new Ring(k),
    ref: new SortedWindow(c.historyPoints),
    delay: new DelayLine(k),
  }));
  const diffRing = new Ring(c.varianceWindow);
  const diffRef = new SortedWindow(c.historyPoints);
  const diffDelay = new DelayLine(c.varianceWindow);
  let previous = Number.NaN;
  let seen = 0;
  let sinceAlarm = Number.POSITIVE_INFINITY;
  const recentRaw = new Ring(Math.max(1, c.refractoryPoints));
  const recentRawArr: number[] = [];

  const DAY = 86_400_000;
  const mkSeason = () => ({
    env: new SeasonalEnvelope(DAY, c.seasonDays, c.seasonToleranceMinutes * 60_000),
    up: new SortedWindow(c.historyPoints),
    down: new SortedWindow(c.historyPoints),
  });
  const seasons = new Map<string, ReturnType<typeof mkSeason>>();
  let now = 0;
  function seasonal(name: string, v: number, minScale: number): { up: number; down: number } | undefined {
    if (c.seasonMode === 'off') return undefined;
    let st = seasons.get(name);
    if (st === undefined) {
      st = mkSeason();
      seasons.set(name, st);
    }
    const r = st.env.range(now);
    st.env.push(now, v);
    if (r === undefined) return undefined;
    const up = v - r.max;
    const down = r.min - v;
    let res: { up: number; down: number } | undefined;
    if (st.up.size >= c.warmupPoints) {
      res = {
        up: upperTailProbability(st.up, up, c.tailFraction, minScale),
        down: upperTailProbability(st.down, down, c.tailFraction, minScale),
      };
    }
    st.up.push(up);
    st.down.push(down);
    return res;
  }
  function pushClipped(ref: SortedWindow, v: number): void {
    const n = ref.size;
    if (c.clip <= 0 || n < c.warmupPoints) {
      ref.push(v);
      return;
    }
    const m = Math.max(2, Math.ceil(c.tailFraction * n));
    const hi = ref.at(n - 1);
    const lo = ref.at(0);
    const floor = c.innerFraction * (ref.quantile(0.9) - ref.quantile(0.1));
    const bUp = Math.max(floor, (hi - ref.at(n - m)) / Math.log(m));
    const bLo = Math.max(floor, (ref.at(m - 1) - lo) / Math.log(m));
    ref.push(Math.min(hi + c.clip * bUp, Math.max(lo - c.clip * bLo, v)));
  }
  let which = '';
  let pMin = 1;
  function pOf(ref: SortedWindow, v: number, twoSided: boolean, minScale0: number, name: string): number {
    const minScale = c.perRefScale
      ? Math.max(
          c.innerFraction * (ref.quantile(0.9) - ref.quantile(0.1)),
          c.minScaleFraction * (ref.quantile(0.99) - ref.quantile(0.01)),
          minScale0 * 1e-3,
        )
      : Math.max(minScale0, c.innerFraction * (valueRef.quantile(0.9) - valueRef.quantile(0.1)));
    let up = upperTailProbability(ref, v, c.tailFraction, minScale);
    let lo = lowerTailProbability(ref, v, c.tailFraction, minScale);
    const se = seasonal(name, v, minScale);
    if (se !== undefined) {
      if (c.seasonMode === 'and') {
        up = Math.max(up, se.up);
        lo = Math.max(lo, se.down);
      } else if (c.seasonMode === 'or') {
        up = Math.min(up, se.up);
        lo = Math.min(lo, se.down);
      } else if (c.seasonMode === 'andvalue' && name === 'value') {
        up = Math.max(up, se.up);
        lo = Math.max(lo, se.down);
      } else if (c.seasonMode === 'only') {
        up = se.up;
        lo = se.down;
      }
    }
    if (up < pMin) {
      pMin = up;
      which = name + '+';
    }
    if (!twoSided) return up;
    if (lo < pMin) {
      pMin = lo;
      which = name + '-';
    }
    return Math.min(up, lo);
  }

  return {
    get which() {
      return which;
    },
    update(t: number, x: number): number {
      if (!Number.isFinite(x)) return 0;
      now = t;
      seen++;
      pMin = 1;
      which = '';
      let tests = 0;
      const ready = valueRef.size >= c.warmupPoints;
      const spread = ready ? valueRef.quantile(0.99) - valueRef.quantile(0.01) : 0;
      const level = ready ? Math.abs(valueRef.quantile(0.5)) : 0;
      const minScale = Math.max(c.minScaleFraction * spread, 1e-4 * level, 1e-12);
      if (ready) {
        pOf(valueRef, x, true, minScale, 'value');
        tests++;
      }
      for (const m of means) {
        m.ring.push(x);
        if (!m.ring.full) continue;
        const mean = m.ring.mean;
        if (m.ref.size >= c.warmupPoints) {
          pOf(m.ref, mean, true, minScale, `mean${m.ring.capacity}`);
          tests++;
        }
        const delayed = m.delay.push(mean);
        if (!Number.isNaN(delayed)) pushClipped(m.ref, delayed);
      }
      if (!Number.isNaN(previous)) {
        diffRing.push(Math.abs(x - previous));
        if (diffRing.full) {
          const d = diffRing.mean;
          if (diffRef.size >= c.warmupPoints) {
            pOf(diffRef, d, true, minScale, 'rough');
            tests++;
          }
          const delayed = diffDelay.push(d);
          if (!Number.isNaN(delayed)) pushClipped(diffRef, delayed);
        }
      }
      previous = x;
      pushClipped(valueRef, x);
      const p = Math.min(1, pMin * Math.max(1, tests));
      const raw = Math.min(1, -Math.log10(p) / c.scoreDecades);
      void seen;
      void recentRaw;
      void recentRawArr;
      if (sinceAlarm < c.refractoryPoints) {
        sinceAlarm++;
        return raw * c.suppressFactor;
      }
      if (raw >= c.alarmLevel) sinceAlarm = 0;
      return raw;
    },
  };
}

export const whichLog: string[][] = [];
export function scoreSeries(
  points: readonly { t: number; v: number }[],
  config?: Partial<DetectorConfig>,
): number[] {
  const d = createDetector(config);
  const w: string[] = [];
  whichLog.push(w);
  return points.map((p) => {
    const s = d.update(p.t, p.v);
    w.push(d.which);
    return s;
  });
}
