import { lambdaDimensionSets } from '../cloudwatch/lambda-metrics.js';
import type { Dimension } from '../cloudwatch/metric-store.js';
import type { FunctionSpec } from '../scenario-types.js';

/** The per-alias dimension set Lambda publishes (`FunctionName`, `Resource` = `<function>:<alias>`). */
export function aliasDimensions(fn: FunctionSpec): Dimension[] {
  return lambdaDimensionSets(fn.functionName, fn.aliasName)[0] as Dimension[];
}
