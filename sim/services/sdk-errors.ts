/** Any modeled exception class of an AWS SDK v3 client package. */
// biome-ignore lint/suspicious/noExplicitAny: the option types of the generated exception classes differ per class.
type ExceptionClass<E> = new (options: any) => E;

/**
 * Builds the real SDK exception `Class` with `message`, as the client would after deserializing an
 * error response (HTTP 400 unless given), so adapters map simulated errors exactly like real ones.
 */
export function sdkError<E extends Error>(
  Class: ExceptionClass<E>,
  message: string,
  httpStatusCode = 400,
  extra: Record<string, unknown> = {},
): E {
  const error = new Class({
    message,
    $metadata: { httpStatusCode, requestId: 'sim-request', attempts: 1, totalRetryDelay: 0 },
    ...extra,
  });
  // Several modeled exceptions also carry `Message`; keep both in sync like the deserializer does.
  if ('Message' in error && (error as { Message?: string }).Message === undefined) {
    (error as { Message?: string }).Message = message;
  }
  return error;
}
