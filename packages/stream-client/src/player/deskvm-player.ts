import {
  Capability,
  DecodePath as WireDecodePath,
  type ClientMessage,
  type ServerMessage,
} from '@deskvm/stream-protocol';

import { ReconnectScheduler } from '../connection/reconnect-scheduler.js';
import { StreamConnection } from '../connection/stream-connection.js';
import { StreamClientError, toStreamClientError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { StatsCollector, type PlayerStats } from '../stats/stats-collector.js';
import { TypedEventTarget } from '../typed-event-target.js';
import type { DecodePath, PresentedFrameDetail, StreamConfiguration, VideoSink } from '../video-sink.js';
import { chooseDecodePath, createSink, type DecodePathPreference } from './decode-path-choice.js';
import { PingClock } from './ping-clock.js';
import type { DeskvmPlayerCoreEventMap, DeskvmPlayerOptions } from './player-types.js';

// Errors of the connection after which no reconnect follows, so playback has stopped for good.
const TERMINAL_CONNECTION_ERRORS = new Set(['CLIENT_ERR_AUTH_FAILED', 'CLIENT_ERR_UNSUPPORTED_VERSION', 'CLIENT_ERR_SUPERSEDED']);

// Fall back from WebCodecs to MSE (under `auto`) after these errors, since MSE may still play the stream.
const WEBCODECS_FALLBACK_CODES = new Set(['CLIENT_ERR_CODEC_UNSUPPORTED', 'CLIENT_ERR_WEBCODECS_UNSUPPORTED']);

/**
 * The framework-free player: connects to a bridge, picks and runs a decode path, reconnects with backoff, measures
 * latency with ping/pong and reports stats. `<deskvm-player>` wraps it; pages without custom elements use it directly.
 */
export class DeskvmPlayer extends TypedEventTarget<DeskvmPlayerCoreEventMap> {
  private readonly logger: Logger;
  private readonly stats = new StatsCollector();
  private readonly reconnect: ReconnectScheduler | undefined;
  private readonly pingClock: PingClock;
  private preference: DecodePathPreference;

  private connection: StreamConnection | undefined;
  private sink: VideoSink | undefined;
  private choosing: ServerMessage[] | undefined;
  private lastConfiguration: ServerMessage | undefined;
  private configuration: StreamConfiguration | undefined;
  private capabilities = 0;
  private playingOnConnection = false;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private failed = false;

  constructor(private readonly options: DeskvmPlayerOptions) {
    super();
    this.logger = options.logger ?? silentLogger;
    this.preference = options.decodePath ?? 'auto';
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
    return this.sink?.path;
  }

  /** The stream's codec and display size; undefined before the first configuration. */
  get streamConfiguration(): StreamConfiguration | undefined {
    return this.configuration;
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
    this.sink?.destroy();
    this.sink = undefined;
  }

  /** Sends a client message; returns false when the connection is not open or speaks version 1. */
  send(message: ClientMessage): boolean {
    return this.connection?.send(message) ?? false;
  }

  /** Returns the stats of the window since the last report and starts a new window. */
  takeStats(): PlayerStats {
    return this.stats.snapshot(this.sink?.path, this.sink?.counters);
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
    } else {
      this.lastConfiguration = message;
    }

    this.deliver(message);
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

  // Passes a configuration or video message to the sink, creating the sink at the first configuration. Messages
  // wait in a queue while the decode path is chosen, because `isConfigSupported` is asynchronous.
  private deliver(message: ServerMessage): void {
    if (this.choosing !== undefined) {
      this.choosing.push(message);
      return;
    }
    if (this.sink !== undefined) {
      this.sink.handleMessage(message);
      return;
    }
    if (message.type !== 'server-hello' && message.type !== 'configuration') {
      return;
    }

    const queue: ServerMessage[] = [message];
    this.choosing = queue;
    void chooseDecodePath(this.preference, message.codec).then((path) => {
      this.choosing = undefined;
      if (this.stopped) {
        return;
      }
      this.startSink(path, queue);
    });
  }

  private startSink(path: DecodePath, queue: ServerMessage[]): void {
    let sink: VideoSink;
    try {
      sink = createSink(path, this.options.surfaces, this.logger);
    } catch (error) {
      this.handleSinkError(path, toStreamClientError(error, 'CLIENT_ERR_INVALID_OPTION', `Cannot start the ${path} path`));
      return;
    }

    this.logger.info('Decode path chosen', { path, preference: this.preference });
    this.sink = sink;
    sink.addEventListener('error', (event) => this.handleSinkError(path, (event as CustomEvent<StreamClientError>).detail));
    sink.addEventListener('configurationchange', (event) => {
      const detail = (event as CustomEvent<StreamConfiguration>).detail;
      this.configuration = detail;
      this.dispatchEvent(new CustomEvent('configurationchange', { detail: { ...detail, decodePath: path } }));
    });
    sink.addEventListener('frame', (event) => this.handleFrame(path, event as CustomEvent<PresentedFrameDetail>));
    sink.addEventListener('keyframerequest', () => this.send({ type: 'keyframe-request' }));

    for (const message of queue) {
      sink.handleMessage(message);
    }
  }

  private handleFrame(path: DecodePath, event: CustomEvent<PresentedFrameDetail>): void {
    this.stats.recordFrame(event.detail);
    this.dispatchEvent(new CustomEvent('frame', { detail: event.detail }));
    if (this.playingOnConnection) {
      return;
    }

    this.playingOnConnection = true;
    this.reconnect?.frameShown();
    this.dispatchEvent(new CustomEvent('playing', { detail: { decodePath: path } }));
  }

  private handleSinkError(path: DecodePath, error: StreamClientError): void {
    this.sink?.destroy();
    this.sink = undefined;

    if (this.preference === 'auto' && path === 'webcodecs' && WEBCODECS_FALLBACK_CODES.has(error.code)) {
      this.logger.warn('WebCodecs cannot play this stream; falling back to MSE', { code: error.code });
      this.emitError(error, false);
      this.preference = 'mse';
      if (this.lastConfiguration !== undefined) {
        this.startSink('mse', [this.lastConfiguration]);
        this.send({ type: 'keyframe-request' });
      }
      return;
    }

    this.failed = true;
    this.emitError(error, true);
    this.connection?.close('player failed');
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

    if (this.sink !== undefined) {
      this.send({
        type: 'client-stats',
        decodePath: this.sink.path === 'webcodecs' ? WireDecodePath.WebCodecs : WireDecodePath.MediaSource,
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
