/**
 * Returns true for a UTF-8 continuation byte (10xxxxxx), which never starts a character. A buffer cut that lands on
 * one splits a character, so the cut moves forward past it.
 */
export function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}
