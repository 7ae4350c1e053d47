import { StreamConnection } from '../connection/stream-connection.js';
import { StreamClientError, toStreamClientError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { MsePlayer } from '../mse/mse-player.js';
import type { VideoSink } from '../video-sink.js';

/** Detail of the `deskvm-error` event. */
export interface DeskvmErrorDetail {
  /** A `StreamClientErrorCode`. */
  code: string;
  message: string;
}

/** Events that `<deskvm-player>` dispatches; all bubble and cross the shadow boundary. */
export interface DeskvmPlayerEventMap {
  /** The WebSocket is open. */
  'deskvm-connected': CustomEvent<undefined>;
  /** The video started or resumed playing. */
  'deskvm-playing': CustomEvent<undefined>;
  /** Connecting or playing failed. The detail contains the error code and message. */
  'deskvm-error': CustomEvent<DeskvmErrorDetail>;
}

const STYLE = `
:host { display: block; position: relative; background: #000; }
video { display: block; width: 100%; height: 100%; object-fit: contain; }
`;

// Under Node (unit tests, server-side rendering) HTMLElement does not exist; the class must still load so that the
// package index can be imported. Only `defineDeskvmPlayer()` registers it, and only in a browser.
const ElementBase: typeof HTMLElement =
  typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

/**
 * The `<deskvm-player>` custom element: plays a deskvm stream in a muted, inline `<video>` that fills the element.
 * It connects when it is in the document and both `url` and `token` are set, and disconnects when removed.
 */
export class DeskvmPlayerElement extends ElementBase {
  /** Attributes that reconnect the player when they change. */
  static readonly observedAttributes = ['url', 'token'];

  /** The video element in the shadow root, for sizes and `getVideoPlaybackQuality()`. */
  readonly video: HTMLVideoElement;

  /** Logger for the connection and the player. Set it before the element connects. Default: silent. */
  logger: Logger = silentLogger;

  private tokenValue: string | null = null;
  private connection: StreamConnection | undefined;
  private sink: VideoSink | undefined;

  constructor() {
    super();

    const shadow = this.attachShadow({ mode: 'open' });

    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.autoplay = true;
    this.video.playsInline = true;
    this.video.setAttribute('muted', '');
    this.video.setAttribute('playsinline', '');
    this.video.addEventListener('playing', () => this.emit('deskvm-playing', undefined));

    shadow.append(this.video);
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
    this.reconnect();
  }

  connectedCallback(): void {
    this.connect();
  }

  disconnectedCallback(): void {
    this.disconnect();
  }

  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue) {
      return;
    }

    if (name === 'token') {
      this.tokenValue = newValue;
    }

    this.reconnect();
  }

  private reconnect(): void {
    this.disconnect();
    this.connect();
  }

  private connect(): void {
    const url = this.url;
    const token = this.tokenValue;
    if (!this.isConnected || this.connection !== undefined || url === null || url === '' || token === null || token === '') {
      return;
    }

    try {
      const sink = this.createSink();
      this.sink = sink;
      sink.addEventListener('error', (event) => this.fail((event as CustomEvent<StreamClientError>).detail));

      const connection = new StreamConnection({ url, token, logger: this.logger });
      this.connection = connection;
      connection.addEventListener('statechange', (event) => {
        if (event.detail === 'open') {
          this.emit('deskvm-connected', undefined);
        }
      });
      connection.addEventListener('message', (event) => sink.handleMessage(event.detail));
      connection.addEventListener('error', (event) => this.emitError(event.detail));
    } catch (error) {
      this.fail(toStreamClientError(error, 'CLIENT_ERR_INVALID_OPTION', 'Cannot start the player'));
    }
  }

  // The decode path. A WebCodecs sink implementing VideoSink would be chosen here.
  private createSink(): VideoSink {
    return new MsePlayer(this.video, { logger: this.logger });
  }

  private disconnect(): void {
    this.connection?.close();
    this.connection = undefined;
    this.sink?.destroy();
    this.sink = undefined;
  }

  private fail(error: StreamClientError): void {
    this.emitError(error);
    this.connection?.close('player failed');
  }

  private emitError(error: StreamClientError): void {
    this.emit('deskvm-error', { code: error.code, message: error.message });
  }

  private emit<K extends keyof DeskvmPlayerEventMap>(type: K, detail: DeskvmPlayerEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

/**
 * Styles the shadow root with a constructed style sheet, which a page's Content-Security-Policy does not block
 * (a `<style>` element would need `style-src 'unsafe-inline'`). Browsers without constructed sheets get the element.
 */
function applyStyle(shadow: ShadowRoot): void {
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    shadow.adoptedStyleSheets = [sheet];
    return;
  }

  const style = document.createElement('style');
  style.textContent = STYLE;
  shadow.prepend(style);
}
