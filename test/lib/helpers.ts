import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { afterAll } from 'vitest';

/**
 * A factory of CDK Apps for tests (one App per synth): no bundling, no CloudFormation schema validation
 * (slow), outdirs under the OS temp dir, removed after the file's tests. Call it at module or describe level.
 */
export function testApps(): () => App {
  const outdirs: string[] = [];
  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'micromotion-test-'));
    outdirs.push(outdir);
    return new App({
      outdir,
      context: { 'aws:cdk:bundling-stacks': [] },
      builtinCloudFormationValidation: false,
    });
  };
}

/** One test App (see `testApps`). Call it at module or describe level. */
export function testApp(): App {
  return testApps()();
}

/** An alias imported by name: `arn:aws:lambda:us-east-1:123456789012:function:<functionName>:<aliasName>`. */
export function importedAlias(
  scope: Construct,
  id: string,
  functionName: string,
  aliasName = 'live',
): lambda.IAlias {
  const fn = lambda.Function.fromFunctionAttributes(scope, `${id}Fn`, {
    functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    sameEnvironment: true,
  });
  const version = lambda.Version.fromVersionAttributes(scope, `${id}Version`, { lambda: fn, version: '1' });
  return lambda.Alias.fromAliasAttributes(scope, id, { aliasName, aliasVersion: version });
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every IAM statement of a template (policies and inline role policies). */
export function iamStatements(template: { toJSON(): Record<string, unknown> }): PolicyStatementJson[] {
  const resources = (template.toJSON().Resources ?? {}) as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  const statements: PolicyStatementJson[] = [];
  for (const r of Object.values(resources)) {
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      const doc = r.Properties?.PolicyDocument as { Statement?: PolicyStatementJson[] } | undefined;
      statements.push(...(doc?.Statement ?? []));
    }
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of (r.Properties?.Policies as {
        PolicyDocument: { Statement: PolicyStatementJson[] };
      }[]) ?? []) {
        statements.push(...p.PolicyDocument.Statement);
      }
    }
  }
  return statements;
}

export function asArray<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

/** The compensating flag the construct tests attach: skip the optional dependency on latency drift. */
export const ORDERS_FLAG = {
  key: 'skipOptionalDependency',
  compensatingValue: true,
  remedies: ['latency-drift'],
  applicationId: 'app1',
  environmentId: 'env1',
  configurationProfileId: 'prof1',
  deploymentStrategyId: 'strat1',
} as const;
