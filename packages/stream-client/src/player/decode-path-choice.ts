import { StreamClientError } from '../errors.js';
import type { Logger } from '../logger.js';
import { MsePlayer } from '../mse/mse-player.js';
import type { DecodePath, VideoSink } from '../video-sink.js';
import { isWebCodecsSupported } from '../webcodecs/decoder-config.js';
import { WebCodecsPlayer } from '../webcodecs/webcodecs-player.js';

/** The decode path setting of a player: `auto` picks WebCodecs where the browser supports the codec, else MSE. */
export type DecodePathPreference = 'auto' | DecodePath;

/** The surfaces the decode paths draw on. */
export interface DecodeSurfaces {
  video: HTMLVideoElement;
  canvas: HTMLCanvasElement;
}

/**
 * Picks the decode path for `codec`. `auto` returns `webcodecs` when `VideoDecoder.isConfigSupported` accepts the
 * low-latency configuration, else `mse`. A forced path is returned as it is; the sink reports when it cannot play.
 */
export async function chooseDecodePath(preference: DecodePathPreference, codec: string): Promise<DecodePath> {
  if (preference !== 'auto') {
    return preference;
  }

  return (await isWebCodecsSupported(codec)) ? 'webcodecs' : 'mse';
}

/**
 * Creates the sink of `path` on its surface and shows that surface, hiding the other.
 *
 * @throws StreamClientError `CLIENT_ERR_WEBCODECS_UNSUPPORTED` or `CLIENT_ERR_MSE_UNSUPPORTED` when the browser lacks
 *   the API
 */
export function createSink(path: DecodePath, surfaces: DecodeSurfaces, logger: Logger): VideoSink {
  surfaces.video.hidden = path !== 'mse';
  surfaces.canvas.hidden = path !== 'webcodecs';

  if (path === 'webcodecs') {
    return new WebCodecsPlayer(surfaces.canvas, { logger });
  }
  if (path === 'mse') {
    return new MsePlayer(surfaces.video, { logger });
  }

  throw new StreamClientError('CLIENT_ERR_INVALID_OPTION', `Invalid decode path "${String(path)}": use auto, webcodecs or mse.`);
}
