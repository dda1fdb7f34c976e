import { MicromotionError } from '../errors.js';

/** A detector configuration value is out of range. The message names the field, the value and the fix. */
export class DetectorConfigError extends MicromotionError {}
