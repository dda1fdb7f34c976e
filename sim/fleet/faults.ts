import type { FaultSpec } from '../scenario-types.js';

/** A config change's error contribution, before weighting by the share of environments that see it. */
export interface ConfigChangeEffect {
  readonly flagKey: string;
  readonly value: boolean;
  readonly extraErrorRatePercent: number;
}

/** What the active faults add to one function at a moment. */
export interface FaultEffects {
  readonly requiredDependencyExtraMillis: number;
  readonly optionalDependencyExtraMillis: number;
  readonly handlerExtraMillis: number;
  readonly extraErrorRatePercent: number;
  /** Share (0..1) of invocations whose dependency calls hang until `dependencyTimeoutMillis`. */
  readonly hangingShare: number;
  readonly dependencyTimeoutMillis: number;
  readonly trafficMultiplier: number;
  readonly configChanges: readonly ConfigChangeEffect[];
}

/** Linear progress (0..1) of `minute` through the first `rampMinutes` after `startMinute`. */
function rampShare(minute: number, startMinute: number, rampMinutes: number): number {
  return rampMinutes > 0 ? Math.min(1, (minute - startMinute) / rampMinutes) : 1;
}

/** Sums the effects of the faults of `target` that are active at `minute` (window [start, end)). */
export function faultEffectsAt(faults: readonly FaultSpec[], target: string, minute: number): FaultEffects {
  let required = 0;
  let optional = 0;
  let handler = 0;
  let errors = 0;
  let hanging = 0;
  let timeout = 0;
  let traffic = 1;
  const configChanges: ConfigChangeEffect[] = [];
  for (const fault of faults) {
    if (fault.target !== target || minute < fault.startMinute || minute >= fault.endMinute) continue;
    switch (fault.kind) {
      case 'dependency-slowdown': {
        const extra = fault.extraLatencyMillis * rampShare(minute, fault.startMinute, fault.rampMinutes ?? 0);
        if ((fault.dependency ?? 'required') === 'optional') optional += extra;
        else required += extra;
        break;
      }
      case 'error-spike':
        errors += fault.extraErrorRatePercent;
        break;
      case 'latency-drift':
        handler +=
          (fault.maxExtraLatencyMillis * (minute - fault.startMinute)) /
          (fault.endMinute - fault.startMinute);
        break;
      case 'dependency-timeouts':
        hanging = 1 - (1 - hanging) * (1 - fault.affectedPercent / 100);
        timeout = Math.max(timeout, fault.timeoutMillis);
        break;
      case 'config-change':
        configChanges.push({
          flagKey: fault.flagKey,
          value: fault.value,
          extraErrorRatePercent:
            fault.extraErrorRatePercent * rampShare(minute, fault.startMinute, fault.rampMinutes ?? 0),
        });
        break;
      case 'traffic-burst':
        traffic *= fault.multiplier;
        break;
      case 'excess-capacity':
        break;
    }
  }
  return {
    requiredDependencyExtraMillis: required,
    optionalDependencyExtraMillis: optional,
    handlerExtraMillis: handler,
    extraErrorRatePercent: errors,
    hangingShare: hanging,
    dependencyTimeoutMillis: timeout,
    trafficMultiplier: traffic,
    configChanges,
  };
}
