import type {
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  PutParameterRequest,
  PutParameterResult,
} from '@aws-sdk/client-ssm';
import { ParameterAlreadyExists, ParameterNotFound } from '@aws-sdk/client-ssm';
import { sdkError } from './sdk-errors.js';

interface StoredParameter {
  value: string;
  version: number;
  lastModifiedMillis: number;
}

/** SSM Parameter Store, String parameters only (the policies the Compensators register). */
export class ParameterStore {
  readonly #parameters = new Map<string, StoredParameter>();

  constructor(
    private readonly context: { readonly region: string; readonly accountId: string; now(): number },
  ) {}

  /** Sets a parameter directly (the runner registers policies this way). */
  put(name: string, value: string): void {
    const existing = this.#parameters.get(name);
    this.#parameters.set(name, {
      value,
      version: (existing?.version ?? 0) + 1,
      lastModifiedMillis: this.context.now(),
    });
  }

  getParameter(input: GetParameterRequest): GetParameterResult {
    const name = input.Name ?? '';
    const stored = this.#parameters.get(name);
    if (!stored) throw sdkError(ParameterNotFound, `Parameter ${name} not found.`);
    return {
      Parameter: {
        Name: name,
        Type: 'String',
        Value: stored.value,
        Version: stored.version,
        LastModifiedDate: new Date(stored.lastModifiedMillis),
        ARN: `arn:aws:ssm:${this.context.region}:${this.context.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      },
    };
  }

  /** Direct children of a path (non-recursive, as the loop asks), in name order, one page. */
  getParametersByPath(input: GetParametersByPathRequest): GetParametersByPathResult {
    const path = (input.Path ?? '/').replace(/\/$/, '');
    const names = [...this.#parameters.keys()]
      .filter(
        (name) =>
          name.startsWith(`${path}/`) && (input.Recursive || !name.slice(path.length + 1).includes('/')),
      )
      .sort();
    return { Parameters: names.map((name) => this.getParameter({ Name: name }).Parameter ?? {}) };
  }

  putParameter(input: PutParameterRequest): PutParameterResult {
    const name = input.Name ?? '';
    if (this.#parameters.has(name) && !input.Overwrite) {
      throw sdkError(
        ParameterAlreadyExists,
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    this.put(name, input.Value ?? '');
    return { Version: this.#parameters.get(name)?.version ?? 1, Tier: 'Standard' };
  }
}
