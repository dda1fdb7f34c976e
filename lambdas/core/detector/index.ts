/**
 * Streaming micro-drift detector: one anomaly score in [0, 1] per metric point, from past and
 * current points only. Pure: no I/O, clock or randomness.
 */
export { DEFAULT_DETECTOR_CONFIG, type DetectorConfig, resolveDetectorConfig } from './config.js';
export { DetectorConfigError } from './errors.js';
export {
  createDetector,
  type DetectorReading,
  type DetectorSignal,
  type StreamingDetector,
  scoreSeries,
} from './streaming-detector.js';
