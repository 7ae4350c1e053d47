import type { BitReader } from './bit-reader.js';

/**
 * Reads and discards `seq_scaling_list_present_flag` and the scaling lists after `seq_scaling_matrix_present_flag`:
 * 6 lists of 16 values, then 2 (4:2:0, 4:2:2) or 6 (4:4:4) lists of 64 values.
 */
export function skipScalingMatrix(reader: BitReader, chromaFormatIdc: number): void {
  const listCount = chromaFormatIdc === 3 ? 12 : 8;

  for (let index = 0; index < listCount; index += 1) {
    if (reader.flag(`seq_scaling_list_present_flag[${index}]`)) {
      skipScalingList(reader, index < 6 ? 16 : 64, index);
    }
  }
}

function skipScalingList(reader: BitReader, size: number, listIndex: number): void {
  let lastScale = 8;
  let nextScale = 8;

  for (let index = 0; index < size; index += 1) {
    if (nextScale !== 0) {
      const deltaScale = reader.seInRange(`delta_scale of scaling list ${listIndex}`, -128, 127);

      nextScale = (lastScale + deltaScale + 256) % 256;
    }

    lastScale = nextScale === 0 ? lastScale : nextScale;
  }
}
