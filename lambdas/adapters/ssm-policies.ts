import { GetParameterCommand, GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { UnknownTargetError } from '../core/errors.js';
import { parsePolicy, policyVersion, TARGET_NAME_PATTERN } from '../core/policy.js';
import type { PolicyStore } from '../core/ports.js';
import type { TargetPolicy } from '../core/types.js';
import { errorName, rethrowTransient } from './aws-errors.js';

/** Policies registered by Compensators as SSM parameters named `<prefix><target>`. */
export class SsmPolicyStore implements PolicyStore {
  constructor(
    private readonly client: SSMClient,
    private readonly prefix: string,
  ) {}

  async listTargets(): Promise<string[]> {
    const targets: string[] = [];
    let nextToken: string | undefined;
    do {
      try {
        const page = await this.client.send(
          new GetParametersByPathCommand({
            Path: this.prefix.replace(/\/$/, ''),
            Recursive: false,
            NextToken: nextToken,
          }),
        );
        for (const p of page.Parameters ?? []) {
          const name = p.Name?.slice(this.prefix.length) ?? '';
          if (TARGET_NAME_PATTERN.test(name)) targets.push(name);
        }
        nextToken = page.NextToken;
      } catch (error) {
        rethrowTransient(error, `SSM GetParametersByPath ${this.prefix}`);
      }
    } while (nextToken);
    return targets.sort();
  }

  async get(target: string): Promise<{ policy: TargetPolicy; version: string }> {
    if (!TARGET_NAME_PATTERN.test(target))
      throw new UnknownTargetError(`${target} is not a valid target name`);
    const name = `${this.prefix}${target}`;
    let value: string | undefined;
    try {
      const out = await this.client.send(new GetParameterCommand({ Name: name }));
      value = out.Parameter?.Value;
    } catch (error) {
      if (errorName(error) === 'ParameterNotFound') {
        throw new UnknownTargetError(
          `no compensator registered target ${target} (parameter ${name} not found)`,
        );
      }
      rethrowTransient(error, `SSM GetParameter ${name}`);
    }
    if (!value) throw new UnknownTargetError(`parameter ${name} is empty`);
    const policy = parsePolicy(value, name);
    if (policy.target !== target)
      throw new UnknownTargetError(`parameter ${name} registers ${policy.target}, not ${target}`);
    return { policy, version: policyVersion(policy) };
  }
}
