/** Axis ticks for the report plots. */

const NICE_FACTORS = [1, 2, 2.5, 5, 10] as const;
/** Time tick steps in minutes, from one minute to one day. */
const TIME_STEPS_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440] as const;

/** Evenly spaced "nice" ticks from 0 covering `max`, at most about `maxTicks` of them. */
export function niceTicks(max: number, maxTicks: number, integerStep = false): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = top / Math.max(1, maxTicks - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  let step = magnitude * 10;
  for (const factor of NICE_FACTORS) {
    if (factor * magnitude >= rough) {
      step = factor * magnitude;
      break;
    }
  }
  if (integerStep) step = Math.max(1, Math.ceil(step));
  const count = Math.ceil(top / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Time ticks (scenario minutes) from 0 to `durationMinutes`, spaced so at most `maxTicks` fit. */
export function timeTicks(durationMinutes: number, maxTicks: number): number[] {
  const span = Math.max(1, durationMinutes);
  const step =
    TIME_STEPS_MINUTES.find((s) => span / s <= maxTicks) ?? 1440 * Math.ceil(span / 1440 / maxTicks);
  const ticks: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) ticks.push(t);
  return ticks;
}
