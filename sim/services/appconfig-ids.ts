import { hashSeed } from '../rng.js';

/** The AppConfig resource ids the simulated account creates for one target's feature flags. */
export interface AppConfigIds {
  readonly applicationId: string;
  readonly environmentId: string;
  readonly configurationProfileId: string;
  readonly deploymentStrategyId: string;
}

/** A 7-character lowercase alphanumeric id, like AppConfig's, derived from a label. */
function shortId(label: string): string {
  let n = hashSeed(0x5eed, label);
  let id = '';
  for (let i = 0; i < 7; i += 1) {
    id += '0123456789abcdefghijklmnopqrstuvwxyz'[n % 36];
    n = Math.floor(n / 36) ^ hashSeed(n, String(i));
    n >>>= 0;
  }
  return id;
}

/** Id of the deployment strategy the simulated account creates (all at once, no bake). */
export const SIM_DEPLOYMENT_STRATEGY_ID = shortId('deployment-strategy/micromotion-immediate');

/** Deterministic AppConfig ids for a target, so the specs and the account agree without talking. */
export function appConfigIdsFor(target: string): AppConfigIds {
  return {
    applicationId: shortId(`application/${target}`),
    environmentId: shortId(`environment/${target}`),
    configurationProfileId: shortId(`profile/${target}`),
    deploymentStrategyId: SIM_DEPLOYMENT_STRATEGY_ID,
  };
}
