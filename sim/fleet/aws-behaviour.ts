/**
 * Constants that model AWS behaviour, each with its source. Values the documentation gives as a
 * range or leaves unspecified are marked as modelling assumptions.
 */

/**
 * Simulation step: every 10 seconds of simulated time. The finest period the model publishes
 * (CloudWatch high-resolution custom metrics support 1-, 5-, 10-, 30-second periods).
 * Source: "Publish custom metrics" — https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/publishingMetrics.html
 */
export const STEP_SECONDS = 10;

/**
 * Provisioned concurrency allocation delay. AWS: after you configure provisioned concurrency,
 * "it can take a few minutes" before the environments are ready; the config status stays
 * IN_PROGRESS until then ("Configuring provisioned concurrency for a function" —
 * https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html; Status
 * IN_PROGRESS | READY | FAILED in API_GetProvisionedConcurrencyConfig). Modelling assumption:
 * uniform 60–120 s for increases at the small sizes a compensator asks for.
 */
export const PC_ALLOCATION_DELAY_SECONDS = { min: 60, max: 120 } as const;

/** Releasing provisioned concurrency is modelled as taking effect within one step (assumption). */
export const PC_RELEASE_DELAY_SECONDS = STEP_SECONDS;

/**
 * Default account concurrency quota: 1,000 concurrent executions per Region, and at least 100
 * must stay unreserved. Source: "Lambda quotas" — https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 * and "Configuring reserved concurrency" — https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
export const ACCOUNT_CONCURRENCY_LIMIT = 1000;
export const MIN_UNRESERVED_CONCURRENCY = 100;

/**
 * How long an idle on-demand execution environment is kept warm. AWS: "Lambda maintains the
 * execution environment for some time in anticipation of another function invocation"
 * ("Understanding the Lambda execution environment lifecycle" —
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html); the duration is
 * not published. Modelling assumption: 8 minutes (public measurements report roughly 5–15).
 */
export const IDLE_RECLAIM_SECONDS = 8 * 60;

/**
 * "Lambda terminates execution environments every few hours to allow for runtime updates and
 * maintenance—even for functions that are invoked continuously" (same lifecycle page). Modelling
 * assumption: a mean lifetime of 3 hours, recycled at random (memoryless).
 */
export const MEAN_ENVIRONMENT_LIFETIME_SECONDS = 3 * 3600;

/**
 * Default poll interval of the AWS AppConfig Agent Lambda extension
 * (`AWS_APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS`, default 45). Each environment checks for a
 * new configuration on the first invocation after the interval has elapsed, so under traffic the
 * fraction of environments that see a new value grows over one interval.
 * Source: "Configuring the AWS AppConfig Agent Lambda extension" —
 * https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-integration-lambda-extensions-config.html
 * and "Understanding how the AWS AppConfig Agent Lambda extension works" —
 * https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-integration-lambda-extensions-how-it-works.html
 */
export const APPCONFIG_EXTENSION_POLL_INTERVAL_SECONDS = 45;

/**
 * Peak concurrency within a step, in standard deviations above the mean. Under Poisson arrivals
 * the number of busy environments is Poisson distributed (M/G/∞ occupancy); over a 10-second
 * step the peak sits about two standard deviations above the mean. Modelling assumption.
 */
export const PEAK_CONCURRENCY_STDEVS = 2;

/**
 * Lambda prices, us-east-1, x86 (USD), used for cost comparisons only.
 * Source: "AWS Lambda pricing" — https://aws.amazon.com/lambda/pricing/
 * Billed duration includes a cold start's init time: since 1 August 2025 the INIT phase of
 * on-demand functions is billed like invocation duration ("AWS Lambda standardizes billing for
 * INIT Phase" — https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/),
 * which is why the fleet's duration sums (and a cold ping's) carry the init time.
 */
export const LAMBDA_PRICES_USD = {
  perMillionRequests: 0.2,
  perGbSecondOnDemandDuration: 0.0000166667,
  perGbSecondProvisionedConcurrency: 0.0000041667,
  perGbSecondProvisionedDuration: 0.0000097222,
} as const;

/**
 * AWS SDK standard retry mode: three attempts by default, exponential backoff with jitter capped
 * at 20 s. Source: "Retry behavior" — https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 * The backoff of the first two retries (at most a few hundred ms) is shorter than a simulation
 * step, so a retried request arrives in the step after the one in which it failed.
 */
export const SDK_STANDARD_MAX_ATTEMPTS = 3;

/**
 * Provisioned concurrency is billed "from the time you enable it on your function until it is
 * disabled, rounded up to the nearest 5 minutes". Source: "AWS Lambda pricing" —
 * https://aws.amazon.com/lambda/pricing/ (Provisioned Concurrency pricing).
 */
export const PC_BILLING_INCREMENT_SECONDS = 5 * 60;

/**
 * A warm-up ping returns without doing work but must stay busy long enough for the concurrent
 * pings to land on distinct environments. Modelling assumption: 100 ms billed per ping (the
 * order of the delay warmer libraries use to hold concurrency).
 */
export const WARMER_PING_MILLIS = 100;

/**
 * Step Functions Standard Workflows: $0.025 per 1,000 state transitions (us-east-1).
 * Source: "AWS Step Functions pricing" — https://aws.amazon.com/step-functions/pricing/
 */
export const STEP_FUNCTIONS_USD_PER_TRANSITION = 0.000025;
