import { beforeAll, describe, expect, it } from '@jest/globals';

import { readFile } from 'node:fs/promises';

import { mountPointsBelow } from './mounts.js';

describe('mountPointsBelow', () => {
  let mountinfo: string;

  beforeAll(async () => {
    mountinfo = await readFile(new URL('../test/fixtures/mountinfo.txt', import.meta.url), 'utf8');
  });

  it('lists deepest first, later mounts first', () => {
    expect(mountPointsBelow(mountinfo, '/tmp/cache/build-a')).toEqual([
      '/tmp/cache/build-a/proc/sys/fs/binfmt_misc',
      '/tmp/cache/build-a/dev/pts',
      '/tmp/cache/build-a/proc',
      '/tmp/cache/build-a/with space',
      '/tmp/cache/build-a/dev',
      '/tmp/cache/build-a/proc',
      '/tmp/cache/build-a',
    ]);
  });

  it('excludes a sibling with the same prefix', () => {
    expect(mountPointsBelow(mountinfo, '/tmp/cache/build-a/')).not.toContain('/tmp/cache/build-ab/proc');
    expect(mountPointsBelow(mountinfo, '/tmp/cache/build-ab')).toEqual(['/tmp/cache/build-ab/proc']);
  });

  it('returns nothing for an unmounted folder', () => {
    expect(mountPointsBelow(mountinfo, '/tmp/cache/build-c')).toEqual([]);
  });
});
