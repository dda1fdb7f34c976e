import { CompensatorPropsError, checkCompensatorProps } from '../../lib/compensator.js';
import { compensatorSpecs } from '../compensator-specs.js';
import { ScenarioError, type ScenarioIssue } from '../errors.js';
import type { Scenario } from '../scenario-types.js';

/** The local control plane reads metrics without lag (the simulated CloudWatch has none). */
const LOCAL_METRIC_LAG_SECONDS = 0;

/**
 * Checks every compensator of a scenario as the CDK `Compensator` will, before anything runs,
 * and reports each broken prop at its path in the scenario (`functions[i].compensator.<prop>`).
 * Throws `ScenarioError` listing them; returns quietly when all are valid.
 */
export function validateCompensators(
  scenario: Scenario,
  source: string,
  metricLagSeconds = LOCAL_METRIC_LAG_SECONDS,
): void {
  const issues: ScenarioIssue[] = [];
  for (const spec of compensatorSpecs(scenario)) {
    const { target, functionName: _fn, aliasName: _alias, ...props } = spec;
    const index = scenario.functions.findIndex((f) => f.target === target);
    try {
      checkCompensatorProps(`Compensator-${target}`, { ...props, target }, metricLagSeconds);
    } catch (error) {
      if (!(error instanceof CompensatorPropsError)) throw error;
      issues.push({
        path: `functions[${index}].compensator${error.prop ? `.${error.prop}` : ''}`,
        reason: `${error.rule}; got ${JSON.stringify(error.got)}. ${error.fix}`,
      });
    }
  }
  if (issues.length > 0) throw new ScenarioError(source, issues);
}
