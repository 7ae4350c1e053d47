import { Capability, type ClientMessage } from '@deskvm/stream-protocol';

import { StreamClientError, toStreamClientError } from '../errors.js';
import { ClipboardSync } from '../input/clipboard-sync.js';
import { InputCapture } from '../input/input-capture.js';
import { ResizeFollower } from '../input/resize-follower.js';
import { silentLogger, type Logger } from '../logger.js';
import type { DecodePathPreference } from '../player/decode-path-choice.js';
import { DeskvmPlayer } from '../player/deskvm-player.js';
import type { PlayerStats } from '../stats/stats-collector.js';
import { StatsOverlay } from '../stats/stats-overlay.js';
import type { DecodePath } from '../video-sink.js';
import type { DeskvmPlayerEventMap } from './element-events.js';
import { applyStyle } from './element-style.js';

export type { DeskvmErrorDetail, DeskvmPlayerEventMap } from './element-events.js';

const DECODE_PATHS: readonly DecodePathPreference[] = ['auto', 'webcodecs', 'mse'];

// Under Node (unit tests, server-side rendering) HTMLElement does not exist; the class must still load so that the
// package index can be imported. Only `defineDeskvmPlayer()` registers it, and only in a browser.
const ElementBase: typeof HTMLElement =
  typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

/**
 * The `<deskvm-player>` custom element: plays a deskvm stream on a `<canvas>` (WebCodecs) or a muted inline `<video>`
 * (MSE) that fills the element, and sends keyboard, pointer, wheel, touch and clipboard input back. It connects when
 * it is in the document and both `url` and `token` are set, and disconnects when removed.
 *
 * Attributes:
 * - `url` and `token`;
 * - `decode-path`: `auto` (default), `webcodecs` or `mse`;
 * - `stats-overlay`: shows frames per second, bitrate, latency, dropped frames and the decode path;
 * - `follow-resize`: requests a desktop size that matches the element;
 * - `pointer-lock`: locks the pointer on click and sends relative motion;
 * - `view-only`: sends no input;
 * - `client-id`: a stable viewer id, so a newer connection with the same id replaces this one.
 */
export class DeskvmPlayerElement extends ElementBase {
  /** Attributes that restart the player when they change. */
  static readonly observedAttributes = ['url', 'token', 'decode-path', 'client-id', 'follow-resize', 'pointer-lock', 'view-only', 'stats-overlay'];

  /** The video element of the MSE path, for sizes and `getVideoPlaybackQuality()`. Hidden on the WebCodecs path. */
  readonly video: HTMLVideoElement;
  /** The canvas of the WebCodecs path. Hidden on the MSE path. */
  readonly canvas: HTMLCanvasElement;

  /** Logger for the connection and the player. Set it before the element connects. Default: silent. */
  logger: Logger = silentLogger;

  private readonly overlayElement: HTMLElement;
  private tokenValue: string | null = null;
  private player: DeskvmPlayer | undefined;
  private readonly cleanups: (() => void)[] = [];
  private latestStats: PlayerStats | undefined;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });

    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.autoplay = true;
    this.video.playsInline = true;
    this.video.setAttribute('muted', '');
    this.video.setAttribute('playsinline', '');
    this.canvas = document.createElement('canvas');
    this.canvas.hidden = true;
    this.overlayElement = document.createElement('pre');
    this.overlayElement.hidden = true;

    shadow.append(this.video, this.canvas, this.overlayElement);
    applyStyle(shadow);
  }

  /** WebSocket URL of the stream, such as `ws://127.0.0.1:8080/stream`; mirrors the `url` attribute. */
  get url(): string | null {
    return this.getAttribute('url');
  }

  set url(value: string | null) {
    if (value === null) {
      this.removeAttribute('url');
    } else {
      this.setAttribute('url', value);
    }
  }

  /**
   * Session token. Setting the property does not write the `token` attribute, so the token stays out of the DOM;
   * the attribute still works for static pages.
   */
  get token(): string | null {
    return this.tokenValue;
  }

  set token(value: string | null) {
    this.tokenValue = value;
    this.restart();
  }

  /** The decode path in use; undefined before the first configuration. */
  get decodePath(): DecodePath | undefined {
    return this.player?.decodePath;
  }

  /** The stats of the last `deskvm-stats` event; undefined before the first. */
  get stats(): PlayerStats | undefined {
    return this.latestStats;
  }

  /** The running player core, for `send()` and `supports()`; undefined while disconnected. */
  get core(): DeskvmPlayer | undefined {
    return this.player;
  }

  connectedCallback(): void {
    this.start();
  }

  disconnectedCallback(): void {
    this.stop();
  }

  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue) {
      return;
    }

    if (name === 'token') {
      this.tokenValue = newValue;
    }

    this.restart();
  }

  private restart(): void {
    this.stop();
    this.start();
  }

  private start(): void {
    const url = this.url;
    const token = this.tokenValue;
    if (!this.isConnected || this.player !== undefined || !url || !token) {
      return;
    }

    try {
      const player = new DeskvmPlayer({
        url,
        token,
        surfaces: { video: this.video, canvas: this.canvas },
        decodePath: this.decodePathAttribute(),
        clientId: this.getAttribute('client-id') ?? undefined,
        logger: this.logger,
      });
      this.player = player;
      this.forwardEvents(player);
      this.attachInput(player);
      player.start();
    } catch (error) {
      this.emit('deskvm-error', { ...errorDetail(toStreamClientError(error, 'CLIENT_ERR_INVALID_OPTION', 'Cannot start the player')), fatal: true });
    }
  }

  private stop(): void {
    for (const cleanup of this.cleanups.splice(0)) {
      cleanup();
    }
    this.player?.stop();
    this.player = undefined;
  }

  private decodePathAttribute(): DecodePathPreference {
    const value = this.getAttribute('decode-path') ?? 'auto';
    if (!DECODE_PATHS.includes(value as DecodePathPreference)) {
      throw new StreamClientError('CLIENT_ERR_INVALID_OPTION', `Invalid decode-path "${value}": use auto, webcodecs or mse.`);
    }
    return value as DecodePathPreference;
  }

  private forwardEvents(player: DeskvmPlayer): void {
    const overlay = this.hasAttribute('stats-overlay') ? new StatsOverlay(this.overlayElement) : undefined;
    this.overlayElement.hidden = overlay === undefined;

    player.addEventListener('connected', (event) => this.emit('deskvm-connected', event.detail));
    player.addEventListener('playing', (event) => this.emit('deskvm-playing', event.detail));
    player.addEventListener('configurationchange', (event) => this.emit('deskvm-configurationchange', event.detail));
    player.addEventListener('disconnected', (event) => this.emit('deskvm-disconnected', event.detail));
    player.addEventListener('error', (event) => this.emit('deskvm-error', { ...errorDetail(event.detail.error), fatal: event.detail.fatal }));
    player.addEventListener('stats', (event) => {
      this.latestStats = event.detail;
      overlay?.update(event.detail);
      this.emit('deskvm-stats', event.detail);
    });
  }

  private attachInput(player: DeskvmPlayer): void {
    const sendIf = (capability: number) => (message: ClientMessage) => player.supports(capability) && player.send(message);

    const clipboard = new ClipboardSync({
      element: this,
      send: sendIf(Capability.Clipboard),
      onRemoteText: (text, written) => this.emit('deskvm-clipboard', { text, written }),
      logger: this.logger,
    });
    player.addEventListener('clipboard', (event) => void clipboard.receive(event.detail.text));
    this.cleanups.push(() => clipboard.destroy());

    if (!this.hasAttribute('view-only')) {
      const input = new InputCapture({
        element: this,
        send: sendIf(Capability.Input),
        streamSize: () => player.streamConfiguration,
        pointerLock: this.hasAttribute('pointer-lock'),
      });
      this.cleanups.push(() => input.destroy());
    }

    if (this.hasAttribute('follow-resize')) {
      const follower = new ResizeFollower({
        element: this,
        request: (width, height) => sendIf(Capability.Resize)({ type: 'resize-request', width, height }),
      });
      // Only the hello shows whether the server resizes, so the current size is requested again after each one.
      player.addEventListener('connected', () => follower.reset());
      this.cleanups.push(() => follower.destroy());
    }
  }

  private emit<K extends keyof DeskvmPlayerEventMap>(type: K, detail: DeskvmPlayerEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

function errorDetail(error: StreamClientError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}
