import type { SimulatedAccount } from '../account.js';
import { SimError } from '../errors.js';
import type { Scenario } from '../scenario-types.js';

/** An actuation a peer made, as it would show in CloudTrail. */
export interface PeerAction {
  readonly atMillis: number;
  readonly target: string;
  readonly kind: 'provisioned-concurrency' | 'feature-flag' | 'rollback';
  readonly detail: string;
}

/**
 * A strategy other than micromotion, modelled from its documentation. It sets itself up on the
 * account (alarms, registrations) and is then ticked at every simulated minute; it acts only
 * through the account's API (`account.handle`), as the real service would.
 */
export interface Peer {
  readonly name: string;
  /** Whether the peer has anything to do in the scenario (e.g. a flag rollback needs a flag change). */
  appliesTo(scenario: Scenario): boolean;
  attach(account: SimulatedAccount): void;
  /** Called after each simulated minute has been stepped, with the minute's end (epoch ms). */
  tick(account: SimulatedAccount, nowMillis: number): void | Promise<void>;
  readonly actions: readonly PeerAction[];
}

const MINUTE = 60_000;

/** Runs the scenario from start to end with `peer` attached; returns the account for accounting. */
export async function runPeer(
  scenario: Scenario,
  peer: Peer,
  account: SimulatedAccount,
  onProgress?: (minutesDone: number, minutesTotal: number) => void,
): Promise<SimulatedAccount> {
  if (account.scenario !== scenario) {
    throw new SimError(
      `runPeer: the account was built for scenario ${account.scenario.name}, not ${scenario.name}`,
    );
  }
  peer.attach(account);
  for (let t = account.startMillis + MINUTE; t <= account.endMillis; t += MINUTE) {
    account.advanceTo(t);
    await peer.tick(account, t);
    onProgress?.((t - account.startMillis) / MINUTE, scenario.durationMinutes);
  }
  return account;
}
