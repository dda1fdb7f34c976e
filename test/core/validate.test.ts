import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../lambdas/core/errors.js';
import {
  describe as describeValue,
  isRecord,
  requireBoolean,
  requireIsoTime,
  requireNumber,
  requireOneOf,
  requireRecord,
  requireString,
} from '../../lambdas/core/validate.js';

describe('Validate: isRecord', () => {
  it('is true for a plain object', () => {
    expect(isRecord({ a: 1 })).toBe(true);
  });

  it.each([null, undefined, [], 'x', 1, true])('is false for %j', (value) => {
    expect(isRecord(value)).toBe(false);
  });
});

describe('Validate: requireRecord', () => {
  it('returns the object', () => {
    const value = { a: 1 };

    expect(requireRecord(value, 'event')).toBe(value);
  });

  it('rejects an array, naming the path', () => {
    expect(() => requireRecord([], 'event.detail')).toThrow(
      new InvalidEventError('event.detail must be an object; got an array'),
    );
  });
});

describe('Validate: requireString', () => {
  it('returns the string', () => {
    expect(requireString('abc', 'p')).toBe('abc');
  });

  it('rejects an empty string, naming the path', () => {
    expect(() => requireString('', 'event.target')).toThrow(
      new InvalidEventError('event.target must be a non-empty string; got ""'),
    );
  });

  it('rejects a number, naming the path', () => {
    expect(() => requireString(42, 'event.target')).toThrow(
      new InvalidEventError('event.target must be a non-empty string; got number 42'),
    );
  });
});

describe('Validate: requireNumber', () => {
  it('returns a finite number', () => {
    expect(requireNumber(-1.5, 'p')).toBe(-1.5);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, '1', null])('rejects %s', (value) => {
    expect(() => requireNumber(value, 'slo.p95Millis')).toThrow(
      /^slo\.p95Millis must be a finite number; got /,
    );
  });
});

describe('Validate: requireBoolean', () => {
  it('returns a boolean', () => {
    expect(requireBoolean(false, 'p')).toBe(false);
  });

  it('rejects a string, naming the path', () => {
    expect(() => requireBoolean('true', 'guardrails.dryRun')).toThrow(
      new InvalidEventError('guardrails.dryRun must be a boolean; got "true"'),
    );
  });
});

describe('Validate: requireOneOf', () => {
  it('returns an allowed value', () => {
    expect(requireOneOf('OK', ['ALARM', 'OK'], 'p')).toBe('OK');
  });

  it('rejects a value outside the allowed set, listing the allowed values', () => {
    expect(() => requireOneOf('ok', ['ALARM', 'OK'], 'state.value')).toThrow(
      new InvalidEventError('state.value must be one of ALARM, OK; got "ok"'),
    );
  });

  it('rejects a value that is not a string', () => {
    expect(() => requireOneOf(1, ['1'], 'p')).toThrow(InvalidEventError);
  });
});

describe('Validate: requireIsoTime', () => {
  it('returns the text of a valid time', () => {
    expect(requireIsoTime('2024-05-01T12:00:00.000Z', 'at')).toBe('2024-05-01T12:00:00.000Z');
  });

  it('accepts the +0000 offset CloudWatch uses', () => {
    expect(requireIsoTime('2024-05-01T12:00:00.000+0000', 'at')).toBe('2024-05-01T12:00:00.000+0000');
  });

  it('rejects text that is not a time, naming the path', () => {
    expect(() => requireIsoTime('soon', 'event.trigger.at')).toThrow(
      new InvalidEventError('event.trigger.at must be an ISO-8601 time; got soon'),
    );
  });

  it('rejects a missing time as a missing string', () => {
    expect(() => requireIsoTime(undefined, 'event.trigger.at')).toThrow(
      'event.trigger.at must be a non-empty string; got nothing',
    );
  });
});

describe('Validate: describe', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [[1], 'an array'],
    [{}, 'an object'],
    ['abc', '"abc"'],
    [42, 'number 42'],
    [false, 'boolean false'],
  ])('describes %j as %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it('shortens a long string to 60 characters', () => {
    const text = describeValue('x'.repeat(100));

    expect(text).toBe(JSON.stringify(`${'x'.repeat(57)}...`));
  });
});

describe('Validate: errors', () => {
  it('names the error InvalidEventError, as the workflow Catch expects', () => {
    try {
      requireString(undefined, 'event.target');
    } catch (error) {
      expect((error as Error).name).toBe('InvalidEventError');
      return;
    }
    throw new Error('expected requireString to throw');
  });
});
