import { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

import { Decompress } from 'fzstd';

/** The decompressed output passed the limit given to {@link createZstdDecompressor}. */
export class OutputLimitError extends Error {
  constructor(readonly maxOutputBytes: number) {
    super(`The decompressed output passed ${maxOutputBytes} bytes.`);
    this.name = 'OutputLimitError';
  }
}

/**
 * Creates a stream that decompresses zstd: node:zlib's own where the running Node has one (22.15 and later), else
 * one built on fzstd, a JavaScript decoder. Truncated or corrupt input fails the stream with an error.
 *
 * fzstd decodes a whole input chunk at once, and 64 KiB of zstd can expand to gigabytes, so that decoder fails with
 * an error as soon as its output passes `maxOutputBytes`. node:zlib's decoder honours backpressure and needs no limit.
 */
export function createZstdDecompressor(maxOutputBytes = Number.MAX_SAFE_INTEGER): Transform {
  const native = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;

  return native === undefined ? createFzstdTransform(maxOutputBytes) : native();
}

function createFzstdTransform(maxOutputBytes: number): Transform {
  // fzstd hands out views into its own window buffer, which later input overwrites, so each piece is copied.
  const decoder = new Decompress();
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.push(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        decoder.push(new Uint8Array(0), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });

  let outputBytes = 0;

  // An error thrown here leaves decoder.push, and the transform above passes it to its callback.
  decoder.ondata = (data) => {
    outputBytes += data.length;

    if (outputBytes > maxOutputBytes) {
      throw new OutputLimitError(maxOutputBytes);
    }

    transform.push(Buffer.from(data));
  };

  return transform;
}
