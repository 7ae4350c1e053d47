export { startBridge, STREAM_PATH, CLOSE_GOING_AWAY, type Bridge, type BridgeOptions } from './bridge.js';
export { BridgeError, type BridgeErrorCode } from './errors.js';
export type { FrameSource, FrameSourceFactory, SourceFrame } from './frame-source.js';
export { gstreamerSource, type GstreamerSourceOptions } from './gstreamer-source.js';
export type { RequestHandler } from './http-routes.js';
export { silentLogger, type Logger, type LogFields } from './logger.js';
export type { FrameRate, PipelineStats } from './stream-hub.js';
export { generateToken, tokenMatches, STREAM_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from './token.js';
export type { ViewerStats } from './viewer.js';
