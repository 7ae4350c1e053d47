import { StreamError } from '../errors.js';
import type { SequenceParameterSet } from './sps-types.js';

/**
 * Builds the RFC 6381 codec string of an H.264 stream for MediaSource and WebCodecs: `avc1.` followed by
 * `profile_idc`, the constraint_set byte and `level_idc`, each as two lowercase hex digits. For example, profile 0x42,
 * flags 0x00 and level 12 give `avc1.42000c`.
 *
 * @throws StreamError `STREAM_ERR_INVALID_FIELD` when a value is not an integer from 0 to 255
 */
export function codecString(sps: Pick<SequenceParameterSet, 'profileIdc' | 'constraintFlags' | 'levelIdc'>): string {
  const fields = [
    ['profileIdc', sps.profileIdc],
    ['constraintFlags', sps.constraintFlags],
    ['levelIdc', sps.levelIdc],
  ] as const;

  for (const [name, value] of fields) {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) {
      throw new StreamError(
        'STREAM_ERR_INVALID_FIELD',
        `Cannot build a codec string from ${name} ${value}: it must be an integer from 0 to 255, as read from the SPS.`,
      );
    }
  }

  return `avc1.${fields.map(([, value]) => value.toString(16).padStart(2, '0')).join('')}`;
}
