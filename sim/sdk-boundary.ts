/**
 * The SDK client boundary: real AWS SDK v3 clients whose requests are answered by the simulated
 * account instead of being sent. Commands are built, validated and given their input by the real
 * SDK; only the transport is replaced.
 */

import { AppConfigClient } from '@aws-sdk/client-appconfig';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';

/** What the boundary needs from an account. */
export interface CommandAnswerer {
  handle(clientName: string, commandName: string, input: unknown): Promise<unknown>;
}

/** The minimal slice of an SDK v3 client this module touches. */
interface ClientWithStack {
  readonly middlewareStack: {
    add(
      middleware: unknown,
      options: { step: 'initialize'; priority: 'high'; name: string; override?: boolean },
    ): void;
  };
  readonly constructor: { readonly name: string };
}

const MIDDLEWARE_NAME = 'micromotionSimulatedAccount';

/**
 * Adds an `initialize`-step middleware (high priority) to `client` that answers every command from
 * `account.handle(context.clientName, context.commandName, args.input)`. The SDK sets both names in
 * the handler context for every generated command; when absent, the client's and the command's
 * constructor names are used. Returns the client.
 */
export function attachSimulatedAccount<C extends object>(client: C, account: CommandAnswerer): C {
  const c = client as unknown as ClientWithStack;
  const clientFallback = c.constructor.name;
  c.middlewareStack.add(
    (_next: unknown, context: { clientName?: string; commandName?: string }) =>
      async (args: { input: unknown; constructor?: unknown }) => {
        const clientName = context.clientName ?? clientFallback;
        const commandName = context.commandName ?? commandNameOf(args);
        const output = (await account.handle(clientName, commandName, args.input)) as Record<string, unknown>;
        return {
          output: {
            ...output,
            $metadata: { httpStatusCode: 200, requestId: 'sim-request', attempts: 1, totalRetryDelay: 0 },
          },
          response: { statusCode: 200, headers: {}, body: undefined },
        };
      },
    { step: 'initialize', priority: 'high', name: MIDDLEWARE_NAME, override: true },
  );
  return client;
}

function commandNameOf(args: { input: unknown }): string {
  // Fallback only: the middleware args do not reference the command, so this is a last resort.
  return (
    (args as { command?: { constructor?: { name?: string } } }).command?.constructor?.name ?? 'UnknownCommand'
  );
}

/** The real SDK clients the loop uses, answered by the simulated account (keys as in the adapters' `AwsClients`). */
export interface SimulatedClients {
  readonly cloudwatch: CloudWatchClient;
  readonly lambda: LambdaClient;
  readonly appconfig: AppConfigClient;
  readonly ssm: SSMClient;
  readonly sns: SNSClient;
  readonly sfn: SFNClient;
  readonly autoscaling: ApplicationAutoScalingClient;
}

/** Static fake credentials: nothing is signed or sent, but the SDK wants some. */
const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIASIMULATED0000000',
  secretAccessKey: 'simulated-secret-access-key',
};

/** Creates real SDK v3 clients for `region`, each attached to `account`. */
export function createSimulatedClients(account: CommandAnswerer, region = 'us-east-1'): SimulatedClients {
  const config = { region, credentials: FAKE_CREDENTIALS, maxAttempts: 1 };
  return {
    cloudwatch: attachSimulatedAccount(new CloudWatchClient(config), account),
    lambda: attachSimulatedAccount(new LambdaClient(config), account),
    appconfig: attachSimulatedAccount(new AppConfigClient(config), account),
    ssm: attachSimulatedAccount(new SSMClient(config), account),
    sns: attachSimulatedAccount(new SNSClient(config), account),
    sfn: attachSimulatedAccount(new SFNClient(config), account),
    autoscaling: attachSimulatedAccount(new ApplicationAutoScalingClient(config), account),
  };
}
