export type { DetectorConfig, StreamingDetector } from './streaming-detector.js';
export { createDetector, DEFAULT_DETECTOR_CONFIG, scoreSeries } from './streaming-detector.js';
