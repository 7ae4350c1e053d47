import {
  Capability,
  DecodePath as WireDecodePath,
  type ClientMessage,
  type ServerMessage,
} from '@deskvm/stream-protocol';

import { ReconnectScheduler } from '../connection/reconnect-scheduler.js';
import { StreamConnection } from '../connection/stream-connection.js';
import { StreamClientError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { StatsCollector, type PlayerStats } from '../stats/stats-collector.js';
import { TypedEventTarget } from '../typed-event-target.js';
import type { DecodePath, PresentedFrameDetail, StreamConfiguration } from '../video-sink.js';
import { DecodePathHost } from './decode-path-host.js';
import { PingClock } from './ping-clock.js';
import type { DeskvmPlayerCoreEventMap, DeskvmPlayerOptions } from './player-types.js';

// Errors of the connection after which no reconnect follows, so playback has stopped for good.
const TERMINAL_CONNECTION_ERRORS = new Set(['CLIENT_ERR_AUTH_FAILED', 'CLIENT_ERR_UNSUPPORTED_VERSION', 'CLIENT_ERR_SUPERSEDED']);

/**
 * The framework-free player: connects to a bridge, picks and runs a decode path, reconnects with backoff, measures
 * latency with ping/pong and reports stats. `<deskvm-player>` wraps it; pages without custom elements use it directly.
 */
export class DeskvmPlayer extends TypedEventTarget<DeskvmPlayerCoreEventMap> {
  private readonly logger: Logger;
  private readonly stats = new StatsCollector();
  private readonly reconnect: ReconnectScheduler | undefined;
  private readonly pingClock: PingClock;
  private readonly decoding: DecodePathHost;

  private connection: StreamConnection | undefined;
  private capabilities = 0;
  private playingOnConnection = false;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private failed = false;

  constructor(private readonly options: DeskvmPlayerOptions) {
    super();
    this.logger = options.logger ?? silentLogger;
    this.decoding = new DecodePathHost({
      surfaces: options.surfaces,
      preference: options.decodePath ?? 'auto',
      logger: this.logger,
      onFrame: (path, frame) => this.handleFrame(path, frame),
      onConfiguration: (path, configuration) => {
        this.dispatchEvent(new CustomEvent('configurationchange', { detail: { ...configuration, decodePath: path } }));
      },
      onKeyframeRequest: () => this.send({ type: 'keyframe-request' }),
      onError: (error, fatal) => this.handleDecodeError(error, fatal),
    });
    this.pingClock = new PingClock({
      intervalMs: options.pingIntervalMs ?? 2000,
      send: (message) => this.send(message),
      onSample: (sample, encoderLatencyUs) => this.stats.recordPong(sample, encoderLatencyUs),
    });

    if (options.reconnect !== false) {
      const settings = typeof options.reconnect === 'object' ? options.reconnect : {};
      this.reconnect = new ReconnectScheduler({ ...settings, logger: this.logger, connect: () => this.connect() });
    }
  }

  /** The decode path in use; undefined before the first configuration. */
  get decodePath(): DecodePath | undefined {
    return this.decoding.path;
  }

  /** The stream's codec and display size; undefined before the first configuration. */
  get streamConfiguration(): StreamConfiguration | undefined {
    return this.decoding.streamConfiguration;
  }

  /** Returns whether the server's hello lists `capability` (a `Capability` bit), such as input, clipboard or resize. */
  supports(capability: number): boolean {
    return (this.capabilities & capability) !== 0;
  }

  /** Opens the connection. */
  start(): void {
    this.connect();
    this.statsTimer = setInterval(() => this.reportStats(), this.options.statsIntervalMs ?? 1000);
  }

  /** Closes the connection, cancels reconnects and releases the decode path. */
  stop(): void {
    this.stopped = true;
    this.reconnect?.stop();
    this.pingClock.stop();
    clearInterval(this.statsTimer);
    this.connection?.close();
    this.connection = undefined;
    this.decoding.destroy();
  }

  /** Sends a client message; returns false when the connection is not open or speaks version 1. */
  send(message: ClientMessage): boolean {
    return this.connection?.send(message) ?? false;
  }

  /** Returns the stats of the window since the last report and starts a new window. */
  takeStats(): PlayerStats {
    return this.stats.snapshot(this.decoding.path, this.decoding.counters);
  }

  private connect(): void {
    if (this.stopped) {
      return;
    }

    const connection = new StreamConnection({
      url: this.options.url,
      token: this.options.token,
      logger: this.logger,
      WebSocket: this.options.WebSocket,
    });
    this.connection = connection;
    this.playingOnConnection = false;
    this.stats.resetConnection();

    connection.addEventListener('message', (event) => this.handleMessage(event.detail));
    connection.addEventListener('error', (event) => this.emitError(event.detail, TERMINAL_CONNECTION_ERRORS.has(event.detail.code)));
    connection.addEventListener('close', (event) => this.handleClose(connection, event.detail.code));
  }

  private handleMessage(message: ServerMessage): void {
    if (message.type === 'hello' || message.type === 'server-hello') {
      this.handleHello(message);
    }

    if (message.type === 'hello') {
      return;
    }
    if (message.type === 'pong') {
      this.pingClock.handlePong(message);
      return;
    }
    if (message.type === 'server-clipboard') {
      this.dispatchEvent(new CustomEvent('clipboard', { detail: { text: message.text, written: false } }));
      return;
    }
    if (message.type === 'error') {
      const error = new StreamClientError('CLIENT_ERR_SERVER_ERROR', `The bridge reported error ${message.code}: ${message.message}`);
      this.emitError(error, false);
      return;
    }
    if (message.type === 'server-stats') {
      return;
    }

    if (message.type === 'video') {
      this.stats.recordVideoBytes(message.data.length);
    }

    this.decoding.deliver(message);
  }

  private handleHello(message: ServerMessage & { type: 'hello' | 'server-hello' }): void {
    this.capabilities = message.type === 'hello' ? message.capabilities : 0;
    this.dispatchEvent(new CustomEvent('connected', { detail: { protocolVersion: message.version } }));

    if (message.type === 'hello' && this.options.clientId !== undefined) {
      this.send({ type: 'client-hello', clientId: this.options.clientId });
    }
    if (message.type === 'hello') {
      this.pingClock.start();
    }
  }

  private handleFrame(path: DecodePath, frame: PresentedFrameDetail): void {
    this.stats.recordFrame(frame);
    this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    if (this.playingOnConnection) {
      return;
    }

    this.playingOnConnection = true;
    this.reconnect?.frameShown();
    this.dispatchEvent(new CustomEvent('playing', { detail: { decodePath: path } }));
  }

  private handleDecodeError(error: StreamClientError, fatal: boolean): void {
    this.emitError(error, fatal);
    if (fatal) {
      this.failed = true;
      this.connection?.close('player failed');
    }
  }

  private handleClose(connection: StreamConnection, code: number): void {
    if (connection !== this.connection) {
      return;
    }

    this.pingClock.stop();
    const decision = this.failed ? 'stopped' : (this.reconnect?.handleClose(code) ?? 'stopped');
    const reconnecting = decision === 'scheduled' || decision === 'waiting-for-visible';
    if (reconnecting) {
      this.stats.reconnects += 1;
    }
    this.dispatchEvent(new CustomEvent('disconnected', { detail: { code, reconnecting } }));
  }

  private reportStats(): void {
    const stats = this.takeStats();
    this.dispatchEvent(new CustomEvent('stats', { detail: stats }));

    if (stats.decodePath !== undefined) {
      this.send({
        type: 'client-stats',
        decodePath: stats.decodePath === 'webcodecs' ? WireDecodePath.WebCodecs : WireDecodePath.MediaSource,
        decodedFrames: stats.presentedFrames >>> 0,
        droppedFrames: stats.droppedFrames >>> 0,
        latencyUs: stats.latencyMs === undefined || stats.latencyMs < 0 ? undefined : Math.round(stats.latencyMs * 1000),
      });
    }
  }

  private emitError(error: StreamClientError, fatal: boolean): void {
    this.logger.warn('Player error', { code: error.code, fatal, error: error.message });
    this.dispatchEvent(new CustomEvent('error', { detail: { code: error.code, message: error.message, fatal, error } }));
  }
}

/** Re-exported so callers can test `supports()` without importing stream-protocol. */
export { Capability };
