import type { EncodedAccessUnit } from '../../src/index.js';

/** Reads up to `count` access units from an iterator, leaving it open; fewer when it ends first. */
export async function take(iterator: AsyncIterator<EncodedAccessUnit>, count: number): Promise<EncodedAccessUnit[]> {
  const accessUnits: EncodedAccessUnit[] = [];

  while (accessUnits.length < count) {
    const result = await iterator.next();

    if (result.done) {
      break;
    }

    accessUnits.push(result.value);
  }

  return accessUnits;
}
