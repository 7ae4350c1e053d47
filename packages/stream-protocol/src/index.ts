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
  MessageType,
  PROTOCOL_VERSION,
  type ServerHello,
  type StreamMessage,
  type VideoMessage,
} from './wire/messages.js';
export { encodeMessage } from './wire/encode.js';
export { decodeMessage } from './wire/decode.js';
export { rewriteSpsBitstreamRestriction, type BitstreamRestrictionOptions } from './h264/sps-rewrite.js';
