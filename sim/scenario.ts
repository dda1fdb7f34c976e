/**
 * Scenario files: load (JSON or YAML), validate against the published schema
 * (`scenario.schema.json`) and a few cross-field rules, and fail before anything runs with a
 * `ScenarioError` that lists each field path and the reason.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import type { Scenario } from './scenario-types.js';

export type * from './scenario-types.js';

/** Absolute path of the published JSON Schema of scenario files. */
export const SCENARIO_SCHEMA_PATH = new URL('./scenario.schema.json', import.meta.url);

/** Absolute path of the default scenario (`npm start` runs it). */
export const DEFAULT_SCENARIO_PATH = new URL('./scenarios/cold-start-burst.json', import.meta.url);

const schema: unknown = JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validateShape = ajv.compile<Scenario>(schema as object);

/** Reads a scenario file (`.json`, `.yaml` or `.yml`) and validates it. Rejects with `ScenarioError`. */
export async function loadScenario(path: string | URL): Promise<Scenario> {
  const source = String(path instanceof URL ? path.pathname : path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(source, [{ path: '', reason: `cannot read file: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(source) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(source, [{ path: '', reason: `cannot parse: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  return parseScenario(data, source);
}

/** Validates already-parsed scenario data. Throws `ScenarioError` listing every problem found. */
export function parseScenario(data: unknown, source = '<inline>'): Scenario {
  if (!validateShape(data)) {
    throw new ScenarioError(source, schemaIssues(validateShape.errors ?? []));
  }
  const issues = crossFieldIssues(data);
  if (issues.length > 0) throw new ScenarioError(source, issues);
  return data;
}

/** The scenario's minute 0, epoch milliseconds. */
export function scenarioStartMillis(scenario: Scenario): number {
  return Date.parse(scenario.start);
}

function toFieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (acc, segment) => (/^\d+$/.test(segment) ? `${acc}[${segment}]` : acc ? `${acc}.${segment}` : segment),
      '',
    );
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function schemaIssues(errors: readonly ErrorObject[]): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if') continue; // the failing `then` branch is reported on its own
    const at = toFieldPath(error.instancePath);
    let issue: ScenarioIssue;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'required':
        issue = { path: join(at, String(params.missingProperty)), reason: 'is required' };
        break;
      case 'additionalProperties':
        issue = { path: join(at, String(params.additionalProperty)), reason: 'is not a known field' };
        break;
      case 'enum':
        issue = {
          path: at,
          reason: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        };
        break;
      default:
        issue = { path: at, reason: error.message ?? error.keyword };
    }
    const key = `${issue.path}|${issue.reason}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function crossFieldIssues(scenario: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const targets = new Map<string, number>();
  const functionNames = new Map<string, number>();
  scenario.functions.forEach((fn, i) => {
    const at = `functions[${i}]`;
    if (targets.has(fn.target)) {
      issues.push({ path: `${at}.target`, reason: `duplicates functions[${targets.get(fn.target)}].target` });
    }
    targets.set(fn.target, i);
    if (functionNames.has(fn.functionName)) {
      issues.push({
        path: `${at}.functionName`,
        reason: `duplicates functions[${functionNames.get(fn.functionName)}].functionName (one function, one entry)`,
      });
    }
    functionNames.set(fn.functionName, i);
    if (fn.coldStartMillis.p95 < fn.coldStartMillis.median) {
      issues.push({ path: `${at}.coldStartMillis.p95`, reason: 'must be at least coldStartMillis.median' });
    }
    if (fn.reservedConcurrency !== null && fn.initialProvisionedConcurrency > fn.reservedConcurrency) {
      issues.push({
        path: `${at}.initialProvisionedConcurrency`,
        reason: `must not exceed reservedConcurrency (${fn.reservedConcurrency})`,
      });
    }
    (fn.traffic.bursts ?? []).forEach((burst, b) => {
      if (burst.endMinute <= burst.startMinute) {
        issues.push({ path: `${at}.traffic.bursts[${b}].endMinute`, reason: 'must be after startMinute' });
      }
    });
    const flagKeys = new Set((fn.flags ?? []).map((f) => f.key));
    (fn.compensator?.flags ?? []).forEach((flag, f) => {
      if (!flagKeys.has(flag.key)) {
        issues.push({
          path: `${at}.compensator.flags[${f}].key`,
          reason: `names no flag of the function (known: ${[...flagKeys].join(', ') || 'none'})`,
        });
      }
    });
    const pc = fn.compensator?.provisionedConcurrency;
    if (fn.compensator && !pc && (fn.compensator.flags ?? []).length === 0) {
      issues.push({
        path: `${at}.compensator`,
        reason: 'needs an actuator: provisionedConcurrency bounds, at least one flag, or both',
      });
    }
    if (pc && pc.min > pc.max) {
      issues.push({
        path: `${at}.compensator.provisionedConcurrency.min`,
        reason: `must not exceed max (${pc.max})`,
      });
    }
    if (!fn.slo && !fn.compensator) {
      issues.push({ path: `${at}.slo`, reason: 'is required when the function has no compensator' });
    }
  });
  (scenario.faults ?? []).forEach((fault, i) => {
    if (!targets.has(fault.target)) {
      issues.push({
        path: `faults[${i}].target`,
        reason: `names no function (known: ${[...targets.keys()].join(', ')})`,
      });
    }
    if (fault.endMinute <= fault.startMinute) {
      issues.push({ path: `faults[${i}].endMinute`, reason: 'must be after startMinute' });
    }
    if (fault.kind === 'config-change') {
      const fn = scenario.functions.find((f) => f.target === fault.target);
      const keys = (fn?.flags ?? []).map((f) => f.key);
      if (fn && !keys.includes(fault.flagKey)) {
        issues.push({
          path: `faults[${i}].flagKey`,
          reason: `names no flag of ${fault.target} (known: ${keys.join(', ') || 'none'})`,
        });
      }
    }
  });
  return issues;
}
