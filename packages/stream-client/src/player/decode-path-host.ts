import type { ServerMessage } from '@deskvm/stream-protocol';

import { toStreamClientError, type StreamClientError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DecodePath, PresentedFrameDetail, SinkCounters, StreamConfiguration, VideoSink } from '../video-sink.js';
import { chooseDecodePath, createSink, type DecodePathPreference, type DecodeSurfaces } from './decode-path-choice.js';

// Fall back from WebCodecs to MSE (under `auto`) after these errors, since MSE may still play the stream.
const WEBCODECS_FALLBACK_CODES = new Set(['CLIENT_ERR_CODEC_UNSUPPORTED', 'CLIENT_ERR_WEBCODECS_UNSUPPORTED']);

/** Options of `DecodePathHost`. */
export interface DecodePathHostOptions {
  surfaces: DecodeSurfaces;
  preference: DecodePathPreference;
  logger: Logger;
  /** A picture reached the screen. */
  onFrame: (path: DecodePath, frame: PresentedFrameDetail) => void;
  /** The decoder was configured for a new codec or size. */
  onConfiguration: (path: DecodePath, configuration: StreamConfiguration) => void;
  /** The decode path needs a keyframe from the server. */
  onKeyframeRequest: () => void;
  /** A decode path failed; `fatal` is false when the host fell back to MSE and plays on. */
  onError: (error: StreamClientError, fatal: boolean) => void;
}

/**
 * Creates and feeds the decode path: picks it at the first configuration message (asynchronously under `auto`,
 * queueing messages meanwhile), and falls back from WebCodecs to MSE under `auto` when WebCodecs cannot decode the
 * stream. The decode path lives across reconnects, because each new session starts with a configuration and a
 * keyframe.
 */
export class DecodePathHost {
  private preference: DecodePathPreference;
  private sink: VideoSink | undefined;
  private choosing: ServerMessage[] | undefined;
  private lastConfiguration: ServerMessage | undefined;
  private configuration: StreamConfiguration | undefined;
  private stopped = false;

  constructor(private readonly options: DecodePathHostOptions) {
    this.preference = options.preference;
  }

  /** The decode path in use; undefined before the first configuration. */
  get path(): DecodePath | undefined {
    return this.sink?.path;
  }

  /** Frame counters of the decode path in use. */
  get counters(): Readonly<SinkCounters> | undefined {
    return this.sink?.counters;
  }

  /** The stream's codec and display size from the decoder's last configuration. */
  get streamConfiguration(): StreamConfiguration | undefined {
    return this.configuration;
  }

  /** Takes a configuration (ServerHello or Configuration) or video message, in arrival order. */
  deliver(message: ServerMessage): void {
    if (this.stopped) {
      return;
    }
    if (message.type === 'server-hello' || message.type === 'configuration') {
      this.lastConfiguration = message;
    }

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
      if (!this.stopped) {
        this.startSink(path, queue);
      }
    });
  }

  /** Releases the decode path; later messages are ignored. */
  destroy(): void {
    this.stopped = true;
    this.sink?.destroy();
    this.sink = undefined;
  }

  private startSink(path: DecodePath, queue: ServerMessage[]): void {
    let sink: VideoSink;
    try {
      sink = createSink(path, this.options.surfaces, this.options.logger);
    } catch (error) {
      this.handleSinkError(path, toStreamClientError(error, 'CLIENT_ERR_INVALID_OPTION', `Cannot start the ${path} path`));
      return;
    }

    this.options.logger.info('Decode path chosen', { path, preference: this.preference });
    this.sink = sink;
    sink.addEventListener('error', (event) => this.handleSinkError(path, (event as CustomEvent<StreamClientError>).detail));
    sink.addEventListener('configurationchange', (event) => {
      this.configuration = (event as CustomEvent<StreamConfiguration>).detail;
      this.options.onConfiguration(path, this.configuration);
    });
    sink.addEventListener('frame', (event) => this.options.onFrame(path, (event as CustomEvent<PresentedFrameDetail>).detail));
    sink.addEventListener('keyframerequest', () => this.options.onKeyframeRequest());

    for (const message of queue) {
      sink.handleMessage(message);
    }
  }

  private handleSinkError(path: DecodePath, error: StreamClientError): void {
    this.sink?.destroy();
    this.sink = undefined;

    const fallBack = this.preference === 'auto' && path === 'webcodecs' && WEBCODECS_FALLBACK_CODES.has(error.code);
    if (!fallBack) {
      this.stopped = true;
      this.options.onError(error, true);
      return;
    }

    this.options.logger.warn('WebCodecs cannot play this stream; falling back to MSE', { code: error.code });
    this.options.onError(error, false);
    this.preference = 'mse';
    if (this.lastConfiguration !== undefined) {
      this.startSink('mse', [this.lastConfiguration]);
      this.options.onKeyframeRequest();
    }
  }
}
