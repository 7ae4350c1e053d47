import {
  decodeServerMessage,
  encodeMessage,
  offeredVersionSubprotocols,
  SUPPORTED_PROTOCOL_VERSIONS,
  type ClientMessage,
  type ServerMessage,
} from '@deskvm/stream-protocol';

import { StreamClientError, toStreamClientError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { TypedEventTarget } from '../typed-event-target.js';
import { describeClose } from './close-codes.js';

/** The WebSocket subprotocols that name the protocol versions this client speaks, newest first. */
export const STREAM_SUBPROTOCOLS: readonly string[] = offeredVersionSubprotocols();

/** Prefix of the second subprotocol, which carries the session token so it never appears in a URL. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'deskvm.token.';

/** State of a `StreamConnection`. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** Detail of the `close` event. */
export interface ConnectionCloseDetail {
  /** WebSocket close code: 1000 for a normal close, 1006 when the connection dropped without a close frame. */
  code: number;
  reason: string;
  wasClean: boolean;
}

/** Events of `StreamConnection`. */
export interface StreamConnectionEventMap {
  /** A decoded server message. */
  message: CustomEvent<ServerMessage>;
  /** The new state after each change. */
  statechange: CustomEvent<ConnectionState>;
  /** The WebSocket closed; follows the `statechange` to `closed`. */
  close: CustomEvent<ConnectionCloseDetail>;
  /** An invalid message, an unsupported version or an abnormal close. */
  error: CustomEvent<StreamClientError>;
}

/** The part of the WebSocket constructor that `StreamConnection` uses. */
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocket;

/** Options of `StreamConnection`. */
export interface StreamConnectionOptions {
  /** WebSocket URL of the bridge's stream endpoint, such as `ws://127.0.0.1:8080/stream`. */
  url: string;
  /** Session token. It travels only in the subprotocol list and is never logged. */
  token: string;
  /** Logger for opens, closes and invalid messages. Default: silent. */
  logger?: Logger;
  /** WebSocket class to use. Default: `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
}

// RFC 6455 subprotocol names are RFC 7230 tokens.
const TOKEN_CHARACTERS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Opens a WebSocket to a deskvm bridge, offering every protocol version this client speaks, decodes each binary
 * message with stream-protocol and dispatches typed events. It opens in the constructor and does not reconnect.
 */
export class StreamConnection extends TypedEventTarget<StreamConnectionEventMap> {
  private readonly socket: WebSocket;
  private readonly logger: Logger;
  private currentState: ConnectionState = 'connecting';
  private version: number | undefined;

  /** @throws StreamClientError `CLIENT_ERR_INVALID_OPTION` for a URL that is not ws: or wss:, or an invalid token */
  constructor(options: StreamConnectionOptions) {
    super();
    this.logger = options.logger ?? silentLogger;
    validateOptions(options);

    const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
    this.socket = new WebSocketClass(options.url, [...STREAM_SUBPROTOCOLS, `${TOKEN_SUBPROTOCOL_PREFIX}${options.token}`]);
    this.socket.binaryType = 'arraybuffer';

    this.socket.addEventListener('open', () => this.handleOpen());
    this.socket.addEventListener('message', (event) => this.handleMessage(event));
    this.socket.addEventListener('close', (event) => this.handleClose(event));
    // Browsers fire an error event without details before the close event, which carries the code. Listening also
    // keeps WebSocket implementations that throw on unhandled error events (the ws package) from throwing.
    this.socket.addEventListener('error', () => this.logger.debug('WebSocket error; the close event follows'));
    this.logger.info('Connecting', { url: options.url });
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** The protocol version from the server's hello; undefined before it arrives. */
  get protocolVersion(): number | undefined {
    return this.version;
  }

  /**
   * Sends a client message. Returns false, sending nothing, when the connection is not open, the server speaks
   * version 1 (which has no client messages) or a field is out of range (logged as a warning).
   */
  send(message: ClientMessage): boolean {
    if (this.currentState !== 'open' || this.version === undefined || this.version < 2) {
      return false;
    }

    let bytes: Uint8Array;
    try {
      bytes = encodeMessage(message);
    } catch (error) {
      // Input handlers call this from DOM events, where a throw would only reach the console.
      this.logger.warn('Cannot encode a client message; it was not sent', {
        type: message.type,
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }

    this.socket.send(bytes);
    return true;
  }

  /** Closes the WebSocket with code 1000. */
  close(reason = 'client closed'): void {
    if (this.currentState === 'closed') {
      return;
    }

    this.socket.close(1000, reason);
  }

  private handleOpen(): void {
    this.logger.info('Connected', { protocol: this.socket.protocol });
    this.setState('open');
  }

  private handleMessage(event: MessageEvent): void {
    if (!(event.data instanceof ArrayBuffer)) {
      this.reportError(
        new StreamClientError('CLIENT_ERR_INVALID_MESSAGE', 'Received a text WebSocket message; the stream sends binary ones.'),
      );
      return;
    }

    let message: ServerMessage;
    try {
      message = decodeServerMessage(new Uint8Array(event.data));
    } catch (error) {
      this.reportError(
        toStreamClientError(error, 'CLIENT_ERR_INVALID_MESSAGE', `Invalid stream message of ${event.data.byteLength} bytes`),
      );
      return;
    }

    if (message.type === 'server-hello' || message.type === 'hello') {
      if (!SUPPORTED_PROTOCOL_VERSIONS.includes(message.version)) {
        this.reportError(
          new StreamClientError(
            'CLIENT_ERR_UNSUPPORTED_VERSION',
            `The server speaks protocol version ${message.version} but this client speaks ` +
              `${SUPPORTED_PROTOCOL_VERSIONS.join(' and ')}: update the client or the bridge so they match.`,
          ),
        );
        this.socket.close(1002, 'unsupported protocol version');
        return;
      }
      this.version = message.version;
    }

    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }

  private handleClose(event: CloseEvent): void {
    const detail: ConnectionCloseDetail = { code: event.code, reason: event.reason, wasClean: event.wasClean };
    this.logger.info('Closed', { ...detail });
    this.setState('closed');

    if (event.code !== 1000) {
      const { code, message } = describeClose(event.code, event.reason);
      this.reportError(new StreamClientError(code, message));
    }

    this.dispatchEvent(new CustomEvent('close', { detail }));
  }

  private reportError(error: StreamClientError): void {
    this.logger.warn('Stream connection error', { code: error.code, error: error.message });
    this.dispatchEvent(new CustomEvent('error', { detail: error }));
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    this.dispatchEvent(new CustomEvent('statechange', { detail: state }));
  }
}

function validateOptions(options: StreamConnectionOptions): void {
  let protocol: string;
  try {
    protocol = new URL(options.url).protocol;
  } catch (error) {
    throw new StreamClientError('CLIENT_ERR_INVALID_OPTION', `Invalid stream URL "${options.url}": pass an absolute ws: or wss: URL.`, {
      cause: error,
    });
  }

  if (protocol !== 'ws:' && protocol !== 'wss:') {
    throw new StreamClientError(
      'CLIENT_ERR_INVALID_OPTION',
      `Invalid stream URL "${options.url}": the scheme is ${protocol} but it must be ws: or wss:.`,
    );
  }

  // The message never includes the token itself.
  if (!TOKEN_CHARACTERS.test(options.token)) {
    throw new StreamClientError(
      'CLIENT_ERR_INVALID_OPTION',
      `Invalid token of ${options.token.length} characters: it must be non-empty and use only letters, digits and ` +
        "!#$%&'*+.^_`|~- so it can travel as a WebSocket subprotocol.",
    );
  }
}
