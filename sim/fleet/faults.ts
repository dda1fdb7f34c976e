import type { FaultSpec } from '../scenario-types.js';

/** What the active faults add to one function at a moment. */
export interface FaultEffects {
  readonly requiredDependencyExtraMillis: number;
  readonly optionalDependencyExtraMillis: number;
  readonly handlerExtraMillis: number;
  readonly extraErrorRatePercent: number;
}

/** Sums the effects of the faults of `target` that are active at `minute` (window [start, end)). */
export function faultEffectsAt(faults: readonly FaultSpec[], target: string, minute: number): FaultEffects {
  let required = 0;
  let optional = 0;
  let handler = 0;
  let errors = 0;
  for (const fault of faults) {
    if (fault.target !== target || minute < fault.startMinute || minute >= fault.endMinute) continue;
    switch (fault.kind) {
      case 'dependency-slowdown':
        if ((fault.dependency ?? 'required') === 'optional') optional += fault.extraLatencyMillis;
        else required += fault.extraLatencyMillis;
        break;
      case 'error-spike':
        errors += fault.extraErrorRatePercent;
        break;
      case 'latency-drift':
        handler +=
          (fault.maxExtraLatencyMillis * (minute - fault.startMinute)) /
          (fault.endMinute - fault.startMinute);
        break;
    }
  }
  return {
    requiredDependencyExtraMillis: required,
    optionalDependencyExtraMillis: optional,
    handlerExtraMillis: handler,
    extraErrorRatePercent: errors,
  };
}
