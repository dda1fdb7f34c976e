import { InvalidEventError } from './errors.js';
import { TARGET_NAME_PATTERN } from './policy.js';
import type { CaughtError, WorkflowState } from './types.js';
import {
  isRecord,
  requireBoolean,
  requireIsoTime,
  requireOneOf,
  requireRecord,
  requireString,
} from './validate.js';

type Part = 'detection' | 'decision' | 'actuation' | 'verification';

/**
 * Validates the state document a workflow task receives and that the parts this state
 * needs are present. Only the parts named are checked deeply; the rest is passed through.
 */
export function parseWorkflowState(input: unknown, needs: readonly Part[] = []): WorkflowState {
  const state = requireRecord(input, 'event');
  requireString(state.target, 'event.target');
  const trigger = requireRecord(state.trigger, 'event.trigger');
  requireOneOf(trigger.source, ['alarm', 'manual', 'schedule'], 'event.trigger.source');
  requireIsoTime(trigger.at, 'event.trigger.at');
  if (trigger.dataUntil !== undefined) requireIsoTime(trigger.dataUntil, 'event.trigger.dataUntil');
  const execution = requireRecord(state.execution, 'event.execution');
  requireString(execution.id, 'event.execution.id');
  requireString(execution.name, 'event.execution.name');
  for (const part of needs) {
    if (state[part] === undefined) throw new InvalidEventError(`event.${part} is required by this state`);
  }
  if (needs.includes('detection')) {
    const detection = requireRecord(state.detection, 'event.detection');
    requireBoolean(detection.actionable, 'event.detection.actionable');
    requireRecord(detection.diagnosis, 'event.detection.diagnosis');
  }
  if (needs.includes('decision')) {
    const decision = requireRecord(state.decision, 'event.decision');
    requireOneOf(decision.verdict, ['act', 'hold'], 'event.decision.verdict');
    requireString(decision.rule, 'event.decision.rule');
  }
  if (needs.includes('actuation')) {
    const actuation = requireRecord(state.actuation, 'event.actuation');
    requireOneOf(actuation.actuator, ['provisioned-concurrency', 'feature-flag'], 'event.actuation.actuator');
    requireIsoTime(actuation.at, 'event.actuation.at');
  }
  return state as unknown as WorkflowState;
}

/** Ledger target of an execution whose input named no valid target (same as the workflow's). */
export const INVALID_INPUT_TARGET = 'invalid-input';

/**
 * For "Record outcome" only: turns a state document that fails validation into the minimal
 * state of a failed execution, so that even malformed input ends with a ledger record. Only
 * the execution's identity is required: without it there is nothing to key a record on. An
 * error the state already carries is kept; `problem` is recorded otherwise.
 */
export function salvageWorkflowState(input: unknown, problem: CaughtError, nowIso: string): WorkflowState {
  const state = isRecord(input) ? input : {};
  const execution = requireRecord(state.execution, 'event.execution');
  const id = requireString(execution.id, 'event.execution.id');
  const name = requireString(execution.name, 'event.execution.name');
  const target =
    typeof state.target === 'string' && TARGET_NAME_PATTERN.test(state.target)
      ? state.target
      : INVALID_INPUT_TARGET;
  const trigger = isRecord(state.trigger) ? state.trigger : {};
  const at = typeof trigger.at === 'string' && !Number.isNaN(Date.parse(trigger.at)) ? trigger.at : nowIso;
  const earlier = isRecord(state.error) && typeof state.error.Error === 'string' ? state.error : null;
  return {
    target,
    trigger: { source: 'manual', at },
    execution: { id, name },
    error: earlier ? { Error: String(earlier.Error), Cause: String(earlier.Cause ?? '') } : problem,
  };
}
