import {
  GetHostedConfigurationVersionCommand,
  ListHostedConfigurationVersionsCommand,
} from '@aws-sdk/client-appconfig';
import {
  GetFunctionCommand,
  GetProvisionedConcurrencyConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sim/account.js';
import { UnsupportedCommandError } from '../../sim/errors.js';
import { createSimulatedClients } from '../../sim/sdk-boundary.js';
import { appConfigIdsFor } from '../../sim/services/appconfig-ids.js';
import { sdkError } from '../../sim/services/sdk-errors.js';
import { scenarioWith } from './fixtures.js';

function setup() {
  const account = new SimulatedAccount(scenarioWith());
  return { account, clients: createSimulatedClients(account) };
}

describe('SDK boundary', () => {
  it('answers real command objects and passes the SDK names and input to the account', async () => {
    const { account, clients } = setup();
    const out = await clients.lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'orders-api', Qualifier: 'live' }),
    );
    expect(out).toMatchObject({
      Status: 'READY',
      RequestedProvisionedConcurrentExecutions: 4,
      $metadata: { httpStatusCode: 200 },
    });
    expect(account.calls.at(-1)).toMatchObject({
      clientName: 'Lambda',
      commandName: 'GetProvisionedConcurrencyConfig',
      input: { FunctionName: 'orders-api', Qualifier: 'live' },
    });
  });

  it('fails an unknown command with an error naming the client and command', async () => {
    const { clients } = setup();
    const call = clients.lambda.send(new GetFunctionCommand({ FunctionName: 'orders-api' }));
    await expect(call).rejects.toBeInstanceOf(UnsupportedCommandError);
    await expect(clients.lambda.send(new GetFunctionCommand({ FunctionName: 'orders-api' }))).rejects.toThrow(
      /LambdaClient\.GetFunctionCommand/,
    );
  });

  it('throws an injected failure once (failNext)', async () => {
    const { account, clients } = setup();
    account.failNext(
      'PutProvisionedConcurrencyConfig',
      sdkError(TooManyRequestsException, 'Rate exceeded', 429),
    );
    const put = () =>
      clients.lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: 'orders-api',
          Qualifier: 'live',
          ProvisionedConcurrentExecutions: 8,
        }),
      );
    await expect(put()).rejects.toBeInstanceOf(TooManyRequestsException);
    await expect(put()).resolves.toMatchObject({ Status: 'IN_PROGRESS' });
  });

  it('serves registered SSM parameters and ParameterNotFound otherwise', async () => {
    const { account, clients } = setup();
    account.putParameter('/micromotion/targets/orders', '{"target":"orders"}');
    const out = await clients.ssm.send(new GetParameterCommand({ Name: '/micromotion/targets/orders' }));
    expect(out.Parameter?.Value).toBe('{"target":"orders"}');
    await expect(clients.ssm.send(new GetParameterCommand({ Name: '/nope' }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
  });

  it('records SNS messages and starts named executions, rejecting a duplicate name', async () => {
    const { account, clients } = setup();
    const published = await clients.sns.send(
      new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'help' }),
    );
    expect(account.publishedMessages).toMatchObject([{ messageId: published.MessageId, message: 'help' }]);

    const started: string[] = [];
    account.onStartExecution((e) => {
      started.push(e.name);
    });
    const start = () =>
      clients.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:micromotion',
          name: 'orders-1',
          input: '{}',
        }),
      );
    expect((await start()).executionArn).toBe(
      'arn:aws:states:us-east-1:123456789012:execution:micromotion:orders-1',
    );
    await expect(start()).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(started).toEqual(['orders-1']);
  });

  it('serves the feature-flags document of a hosted configuration version', async () => {
    const { clients } = setup();
    const ids = appConfigIdsFor('orders');
    const list = await clients.appconfig.send(
      new ListHostedConfigurationVersionsCommand({
        ApplicationId: ids.applicationId,
        ConfigurationProfileId: ids.configurationProfileId,
      }),
    );
    const version = list.Items?.[0]?.VersionNumber ?? 0;
    const got = await clients.appconfig.send(
      new GetHostedConfigurationVersionCommand({
        ApplicationId: ids.applicationId,
        ConfigurationProfileId: ids.configurationProfileId,
        VersionNumber: version,
      }),
    );
    expect(got.Content).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(new TextDecoder().decode(got.Content))).toEqual({
      version: '1',
      flags: { skipOptionalDependency: { name: 'skipOptionalDependency' } },
      values: { skipOptionalDependency: { enabled: false } },
    });
  });
});
