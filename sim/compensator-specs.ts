import type { DiagnosisKind, FlagPolicy, TargetPolicy } from '../lambdas/core/types.js';
import type { Scenario } from './scenario-types.js';
import { appConfigIdsFor } from './services/appconfig-ids.js';

/** What a scenario asks the CDK `Compensator` of one function to be (its props, ids filled in). */
export interface CompensatorSpec {
  readonly target: string;
  readonly functionName: string;
  readonly aliasName: string;
  readonly slo: TargetPolicy['slo'];
  readonly provisionedConcurrency?: NonNullable<TargetPolicy['provisionedConcurrency']>;
  readonly flags: readonly FlagPolicy[];
  readonly guardrails?: Partial<TargetPolicy['guardrails']>;
  readonly detection?: Partial<TargetPolicy['detection']>;
}

/**
 * One spec per function of the scenario that has a compensator. Flags carry the AppConfig
 * application, environment, profile and deployment strategy ids the simulated account creates.
 */
export function compensatorSpecs(scenario: Scenario): CompensatorSpec[] {
  const specs: CompensatorSpec[] = [];
  for (const fn of scenario.functions) {
    const compensator = fn.compensator;
    if (!compensator) continue;
    const ids = appConfigIdsFor(fn.target);
    specs.push({
      target: fn.target,
      functionName: fn.functionName,
      aliasName: fn.aliasName,
      slo: { ...compensator.slo },
      ...(compensator.provisionedConcurrency
        ? { provisionedConcurrency: { ...compensator.provisionedConcurrency } }
        : {}),
      flags: (compensator.flags ?? []).map((flag) => ({
        key: flag.key,
        compensatingValue: flag.compensatingValue,
        remedies: flag.remedies as DiagnosisKind[],
        ...ids,
      })),
      ...(compensator.guardrails ? { guardrails: { ...compensator.guardrails } } : {}),
      ...(compensator.detection ? { detection: { ...compensator.detection } } : {}),
    });
  }
  return specs;
}
