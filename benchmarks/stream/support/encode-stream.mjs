// Encodes a test stream with gst-launch-1.0 and x264, with the encoder settings that @deskvm/gst-pipeline renders
// for the bridge (zero latency, no B-frames, SPS and PPS before every keyframe), into an Annex-B file.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { splitAccessUnits, toAnnexB } from '@deskvm/stream-protocol';
import { execa } from 'execa';

/**
 * Encodes `frames` frames of videotestsrc and returns the access units, each `{ data, nalUnits, keyframe }` with
 * `data` in Annex-B form. The temporary file is removed before it returns.
 *
 * @param {object} options
 * @param {number} options.width picture width in pixels
 * @param {number} options.height picture height in pixels
 * @param {number} options.frameRate frames per second
 * @param {number} options.frames number of frames to encode
 * @param {number} [options.bitrateKbps] x264 target bitrate in kbit/s; default 4000, the bridge's default
 * @param {string} [options.pattern] videotestsrc pattern; default 'snow', the hardest content, so that every frame
 *   uses its share of the bitrate
 * @param {number} [options.keyframeInterval] frames between keyframes; default 2 seconds of frames, as the bridge
 */
export async function encodeTestStream(options) {
  const { width, height, frameRate, frames, bitrateKbps = 4000, pattern = 'snow' } = options;
  const keyframeInterval = options.keyframeInterval ?? 2 * frameRate;
  const directory = await mkdtemp(join(tmpdir(), 'deskvm-bench-'));
  const path = join(directory, 'stream.h264');

  try {
    const argv = [
      '-q',
      'videotestsrc',
      `num-buffers=${frames}`,
      `pattern=${pattern}`,
      '!',
      `video/x-raw,format=I420,width=${width},height=${height},framerate=${frameRate}/1`,
      '!',
      'x264enc',
      'tune=zerolatency',
      'speed-preset=ultrafast',
      'bframes=0',
      'b-adapt=false',
      `key-int-max=${keyframeInterval}`,
      `bitrate=${bitrateKbps}`,
      'byte-stream=true',
      '!',
      'h264parse',
      'config-interval=-1',
      '!',
      'video/x-h264,stream-format=byte-stream,alignment=au',
      '!',
      'filesink',
      `location=${path}`,
    ];
    await execa('gst-launch-1.0', argv, { stdin: 'ignore', timeout: 120_000 });

    return toAccessUnits(await readFile(path));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Splits an Annex-B stream into access units, each with its own Annex-B bytes. */
export function toAccessUnits(stream) {
  return splitAccessUnits(new Uint8Array(stream)).map((accessUnit) => ({
    ...accessUnit,
    data: toAnnexB(accessUnit.nalUnits),
  }));
}
