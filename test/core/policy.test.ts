import { describe, expect, it } from 'vitest';
import { PolicyInvalidError } from '../../lambdas/core/errors.js';
import { parsePolicy, policyVersion } from '../../lambdas/core/policy.js';
import { makeFlag, makePolicy } from '../fixtures/policy.js';

const SOURCE = '/micromotion/policies/checkout-api';

/** A valid registered policy document, as plain JSON-able data. */
function policyDoc(): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(makePolicy({ flags: [makeFlag('skipOptionalDependency', ['latency-drift'])] })),
  ) as Record<string, unknown>;
}

function withField(path: string, value: unknown): string {
  const doc = policyDoc();
  const keys = path.split('.');
  let node = doc as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return JSON.stringify(doc);
}

function parseError(text: string): PolicyInvalidError {
  try {
    parsePolicy(text, SOURCE);
  } catch (error) {
    if (error instanceof PolicyInvalidError) return error;
    throw error;
  }
  throw new Error('expected parsePolicy to throw');
}

describe('Policy: parsePolicy', () => {
  it('accepts a valid policy document', () => {
    const policy = parsePolicy(JSON.stringify(policyDoc()), SOURCE);

    expect(policy).toEqual(makePolicy({ flags: [makeFlag('skipOptionalDependency', ['latency-drift'])] }));
  });

  it('accepts a policy without provisioned concurrency or flags', () => {
    const doc = policyDoc();
    delete doc.provisionedConcurrency;
    delete doc.flags;

    const policy = parsePolicy(JSON.stringify(doc), SOURCE);

    expect(policy).not.toHaveProperty('provisionedConcurrency');
    expect(policy.flags).toEqual([]);
  });

  it('treats a missing paused flag as not paused', () => {
    const doc = policyDoc();
    delete (doc.guardrails as Record<string, unknown>).paused;

    expect(parsePolicy(JSON.stringify(doc), SOURCE).guardrails.paused).toBe(false);
  });

  it('drops fields the schema does not know', () => {
    const doc = { ...policyDoc(), owner: 'team-payments' };

    expect(parsePolicy(JSON.stringify(doc), SOURCE)).not.toHaveProperty('owner');
  });

  it('rejects a document that is not JSON, naming the source', () => {
    const error = parseError('{ "schemaVersion": 1,');

    expect(error.message).toMatch(/^policy \/micromotion\/policies\/checkout-api is not JSON: /);
  });

  it('rejects a document that is not an object', () => {
    expect(parseError('[1, 2]').message).toBe(`policy ${SOURCE}: policy must be an object; got an array`);
  });

  it('rejects a wrong schemaVersion, naming the field', () => {
    expect(parseError(withField('schemaVersion', 2)).message).toBe(
      `policy ${SOURCE}: schemaVersion must be 1; got 2`,
    );
  });

  it.each(['Checkout', 'checkout_api', '-checkout', 'a'.repeat(41)])(
    'rejects the target name %s',
    (target) => {
      expect(parseError(withField('target', target)).message).toMatch(/^policy .*: target .* must match /);
    },
  );

  it('rejects a missing target, naming the field', () => {
    expect(parseError(withField('target', undefined)).message).toContain('target must be a non-empty string');
  });

  it('rejects provisioned concurrency whose min exceeds max, naming the field', () => {
    expect(parseError(withField('provisionedConcurrency.min', 30)).message).toBe(
      `policy ${SOURCE}: provisionedConcurrency.min 30 exceeds max 20`,
    );
  });

  it('rejects a zero maxStep', () => {
    expect(parseError(withField('provisionedConcurrency.maxStep', 0)).message).toContain(
      'provisionedConcurrency.maxStep must be > 0; got 0',
    );
  });

  it('rejects an unknown remedy, naming the field', () => {
    const doc = policyDoc();
    (doc.flags as Array<Record<string, unknown>>)[0] = {
      ...(doc.flags as Array<Record<string, unknown>>)[0],
      remedies: ['latency-drift', 'cosmic-rays'],
    };

    const error = parseError(JSON.stringify(doc));

    expect(error.message).toMatch(
      /^policy .*: flags\[0\]\.remedies\[1\] must be one of cold-start-pressure, /,
    );
    expect(error.message).toContain('got "cosmic-rays"');
  });

  it('rejects flags that are not an array', () => {
    expect(parseError(withField('flags', {})).message).toContain('flags must be an array');
  });

  it('rejects a flag without remedies, naming the field', () => {
    const doc = policyDoc();
    delete (doc.flags as Array<Record<string, unknown>>)[0]?.remedies;

    expect(parseError(JSON.stringify(doc)).message).toContain('flags[0].remedies must be an array');
  });

  it('rejects a minimum confidence outside [0, 1], naming the field', () => {
    expect(parseError(withField('guardrails.minConfidence', 1.5)).message).toContain(
      'guardrails.minConfidence must be within [0, 1]; got 1.5',
    );
  });

  it('rejects a negative cooldown, naming the field', () => {
    expect(parseError(withField('guardrails.cooldownSeconds', -1)).message).toContain(
      'guardrails.cooldownSeconds must be >= 0; got -1',
    );
  });

  it('rejects a non-numeric SLO, naming the field', () => {
    expect(parseError(withField('slo.p95Millis', '300')).message).toContain(
      'slo.p95Millis must be a finite number; got "300"',
    );
  });

  it('rejects a dryRun that is not a boolean, naming the field', () => {
    expect(parseError(withField('guardrails.dryRun', 'yes')).message).toContain(
      'guardrails.dryRun must be a boolean',
    );
  });

  it('keeps the field error as the cause', () => {
    const error = parseError(withField('detection.windowMinutes', 0));

    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toBe('detection.windowMinutes must be > 0; got 0');
  });
});

describe('Policy: policyVersion', () => {
  it('is a 16-digit hex hash', () => {
    expect(policyVersion(makePolicy())).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is stable across key order', () => {
    const policy = makePolicy();
    const reordered = Object.fromEntries(
      Object.entries(policy)
        .reverse()
        .map(([key, value]) => [
          key,
          typeof value === 'object' && value !== null && !Array.isArray(value)
            ? Object.fromEntries(Object.entries(value).reverse())
            : value,
        ]),
    ) as typeof policy;

    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(policy));
    expect(policyVersion(reordered)).toBe(policyVersion(policy));
  });

  it('is the same for a document parsed from differently ordered JSON', () => {
    const doc = policyDoc();
    const reversed = Object.fromEntries(Object.entries(doc).reverse());

    expect(policyVersion(parsePolicy(JSON.stringify(reversed), SOURCE))).toBe(
      policyVersion(parsePolicy(JSON.stringify(doc), SOURCE)),
    );
  });

  it('changes with the content', () => {
    const base = policyVersion(makePolicy());

    expect(policyVersion(makePolicy({ guardrails: { cooldownSeconds: 601 } }))).not.toBe(base);
    expect(policyVersion(makePolicy({ provisionedConcurrency: { max: 21 } }))).not.toBe(base);
    expect(policyVersion(makePolicy({ flags: [makeFlag('f', ['latency-drift'])] }))).not.toBe(base);
  });

  it('changes with the order of flags', () => {
    const a = makeFlag('a', ['latency-drift']);
    const b = makeFlag('b', ['latency-drift']);

    expect(policyVersion(makePolicy({ flags: [a, b] }))).not.toBe(
      policyVersion(makePolicy({ flags: [b, a] })),
    );
  });
});
