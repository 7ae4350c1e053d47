import { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

import { Decompress } from 'fzstd';

/**
 * Creates a stream that decompresses zstd: node:zlib's own where the running Node has one (22.15 and later), else
 * one built on fzstd, a JavaScript decoder. Truncated or corrupt input fails the stream with an error.
 */
export function createZstdDecompressor(): Transform {
  const native = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;

  return native === undefined ? createFzstdTransform() : native();
}

function createFzstdTransform(): Transform {
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

  decoder.ondata = (data) => {
    transform.push(Buffer.from(data));
  };

  return transform;
}
