import { codecString, parseSps, type SequenceParameterSet } from '@deskvm/stream-protocol';

import { toStreamClientError } from '../errors.js';

/** The decoder configuration of one SPS, with the picture size it describes. */
export interface DecoderSetup {
  config: VideoDecoderConfig;
  /** Width in pixels after SPS cropping. */
  width: number;
  /** Height in pixels after SPS cropping. */
  height: number;
}

/**
 * Builds the `VideoDecoder` configuration for an SPS NAL unit. It has no `description`, so the decoder reads Annex-B
 * input with the SPS and PPS in band, and it sets `optimizeForLatency` so the decoder outputs each frame as soon as it
 * is decoded instead of filling a reorder queue first.
 *
 * @throws StreamClientError `CLIENT_ERR_INVALID_ACCESS_UNIT` when the SPS cannot be parsed
 */
export function decoderSetupFromSps(spsNalUnit: Uint8Array): DecoderSetup {
  let sps: SequenceParameterSet;
  let codec: string;
  try {
    sps = parseSps(spsNalUnit);
    codec = codecString(sps);
  } catch (error) {
    throw toStreamClientError(error, 'CLIENT_ERR_INVALID_ACCESS_UNIT', `Invalid SPS of ${spsNalUnit.length} bytes`);
  }

  return { config: decoderConfig(codec), width: sps.width, height: sps.height };
}

/** Returns the low-latency Annex-B `VideoDecoderConfig` for an RFC 6381 codec string such as `avc1.640033`. */
export function decoderConfig(codec: string): VideoDecoderConfig {
  return { codec, optimizeForLatency: true, hardwareAcceleration: 'no-preference' };
}

/**
 * Returns whether this browser can decode `codec` through WebCodecs with the configuration the player uses. It
 * returns false when `VideoDecoder` is missing or `isConfigSupported` rejects the configuration.
 */
export async function isWebCodecsSupported(codec: string): Promise<boolean> {
  if (typeof VideoDecoder === 'undefined' || typeof VideoDecoder.isConfigSupported !== 'function') {
    return false;
  }

  try {
    const support = await VideoDecoder.isConfigSupported(decoderConfig(codec));
    return support.supported === true;
  } catch {
    return false;
  }
}
