import { StreamError } from '../errors.js';
import {
  encodeClientClipboard,
  encodeClientHello,
  encodeClientStats,
  encodeKey,
  encodeKeyframeRequest,
  encodePing,
  encodePointerButton,
  encodePointerMove,
  encodePointerRelative,
  encodeResizeRequest,
  encodeTouch,
  encodeWheel,
} from './client-encode.js';
import type { StreamMessage } from './messages.js';
import {
  encodeConfiguration,
  encodeError,
  encodeHello,
  encodePong,
  encodeServerClipboard,
  encodeServerHello,
  encodeServerStats,
  encodeVideo,
} from './server-encode.js';

/**
 * Encodes a wire message of either direction (big-endian; the layout is in PROTOCOL.md). It checks every field, so it
 * never writes bytes that `decodeMessage` rejects.
 *
 * @returns a new buffer holding the whole message
 * @throws StreamError `STREAM_ERR_INVALID_FIELD` for a field out of range, `STREAM_ERR_TOO_LARGE` for text over its
 *   limit, `STREAM_ERR_UNSUPPORTED_VERSION` for a hello whose version does not match its layout,
 *   `STREAM_ERR_UNKNOWN_TYPE` for an unknown `type`
 */
export function encodeMessage(message: StreamMessage): Uint8Array {
  switch (message.type) {
    case 'server-hello':
      return encodeServerHello(message);
    case 'hello':
      return encodeHello(message);
    case 'configuration':
      return encodeConfiguration(message);
    case 'video':
      return encodeVideo(message);
    case 'pong':
      return encodePong(message);
    case 'server-clipboard':
      return encodeServerClipboard(message);
    case 'server-stats':
      return encodeServerStats(message);
    case 'error':
      return encodeError(message);
    case 'client-hello':
      return encodeClientHello(message);
    case 'keyframe-request':
      return encodeKeyframeRequest();
    case 'ping':
      return encodePing(message);
    case 'pointer-move':
      return encodePointerMove(message);
    case 'pointer-relative':
      return encodePointerRelative(message);
    case 'pointer-button':
      return encodePointerButton(message);
    case 'wheel':
      return encodeWheel(message);
    case 'key':
      return encodeKey(message);
    case 'touch':
      return encodeTouch(message);
    case 'client-clipboard':
      return encodeClientClipboard(message);
    case 'resize-request':
      return encodeResizeRequest(message);
    case 'client-stats':
      return encodeClientStats(message);
    default:
      throw new StreamError(
        'STREAM_ERR_UNKNOWN_TYPE',
        `Cannot encode a message of type ${JSON.stringify((message as { type: unknown }).type)}: see MessageType ` +
          'for the defined types.',
      );
  }
}
