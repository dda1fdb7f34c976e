import type { PublishInput, PublishResponse } from '@aws-sdk/client-sns';
import { InvalidParameterException } from '@aws-sdk/client-sns';
import { seededUuid } from '../cloudwatch/alarm-events.js';
import type { Rng } from '../rng.js';
import { sdkError } from './sdk-errors.js';

/** A message published to SNS. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly atMillis: number;
}

/** SNS `Publish`: records the messages (escalations) and returns a MessageId. */
export class Notifications {
  readonly messages: PublishedMessage[] = [];

  constructor(private readonly context: { readonly rng: Rng; now(): number }) {}

  publish(input: PublishInput): PublishResponse {
    const topicArn = input.TopicArn ?? input.TargetArn;
    if (!topicArn)
      throw sdkError(
        InvalidParameterException,
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    if (!input.Message) throw sdkError(InvalidParameterException, 'Invalid parameter: Empty message');
    const messageId = seededUuid(this.context.rng);
    this.messages.push({
      messageId,
      topicArn,
      ...(input.Subject === undefined ? {} : { subject: input.Subject }),
      message: input.Message,
      atMillis: this.context.now(),
    });
    return { MessageId: messageId };
  }
}
