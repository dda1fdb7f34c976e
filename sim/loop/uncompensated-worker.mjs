// Worker thread for `startUncompensated`: loads the TypeScript simulator through tsx (as the
// `micromotion` command does) and answers the uncompensated SLO minutes of one scenario.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { uncompensatedSloMinutes } = await import('./uncompensated.ts');
parentPort?.postMessage(uncompensatedSloMinutes(workerData));
