import type { Peer } from './peer.js';

/** Nothing compensates: the scenario as it would unfold on its own. */
export function noCompensation(): Peer {
  return {
    name: 'none',
    appliesTo: () => true,
    attach: () => {},
    tick: () => {},
    actions: [],
  };
}
