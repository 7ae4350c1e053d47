export { StreamError, type StreamErrorCode, type StreamErrorOptions } from './errors.js';
export { NalUnitType, isVclNalUnitType, nalUnitType } from './h264/nal-unit-type.js';
export { splitNalUnits, toAnnexB } from './h264/annex-b.js';
export { AnnexBReader } from './h264/annex-b-reader.js';
export { AccessUnitAssembler, splitAccessUnits, type AccessUnit } from './h264/access-unit.js';
export { AccessUnitSplitter } from './h264/access-unit-splitter.js';
export { firstMbInSlice } from './h264/slice-header.js';
export { addEmulationPrevention, removeEmulationPrevention } from './h264/rbsp.js';
export { parseSps } from './h264/sps.js';
export type {
  BitstreamRestriction,
  HrdParameters,
  SequenceParameterSet,
  VuiParameters,
} from './h264/sps-types.js';
export { codecString } from './h264/codec-string.js';
export {
  LATEST_PROTOCOL_VERSION,
  MAX_CLIENT_ID_LENGTH,
  MAX_CLIPBOARD_BYTES,
  MAX_ERROR_TEXT_BYTES,
  MAX_KEY_BYTES,
  MAX_KEY_CODE_LENGTH,
  MessageType,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type StreamMessage,
} from './wire/messages.js';
export {
  Capability,
  ErrorCode,
  type Configuration,
  type ErrorMessage,
  type Hello,
  type Pong,
  type ServerClipboard,
  type ServerHello,
  type ServerMessage,
  type ServerStats,
  type VideoMessage,
} from './wire/server-messages.js';
export {
  DecodePath,
  Modifier,
  TouchPhase,
  type ClientClipboard,
  type ClientHello,
  type ClientMessage,
  type ClientStats,
  type Key,
  type KeyframeRequest,
  type Ping,
  type PointerButton,
  type PointerMove,
  type PointerRelative,
  type ResizeRequest,
  type Touch,
  type Wheel,
} from './wire/client-messages.js';
export {
  CloseCode,
  VERSION_SUBPROTOCOL_PREFIX,
  offeredVersionSubprotocols,
  selectProtocolVersion,
  versionSubprotocol,
} from './wire/negotiation.js';
export { encodeMessage } from './wire/encode.js';
export { decodeClientMessage, decodeMessage, decodeServerMessage, type DecodeOptions } from './wire/decode.js';
export { rewriteSpsBitstreamRestriction, type BitstreamRestrictionOptions } from './h264/sps-rewrite.js';
