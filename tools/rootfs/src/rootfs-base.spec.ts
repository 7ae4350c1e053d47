import { describe, expect, it } from '@jest/globals';

import { readFile } from 'node:fs/promises';

import { parseDeb822Sources, type AptSource } from './apt-sources.js';
import { RootfsError } from './errors.js';
import { chooseRootfsBase } from './rootfs-base.js';

function source(uri: string, suites: string[], components = ['main'], file = '/etc/apt/sources.list'): AptSource {
  return { types: ['deb'], uris: [uri], suites, components, file };
}

function errorOf(action: () => unknown): RootfsError {
  try {
    action();
  } catch (error) {
    return error as RootfsError;
  }

  throw new Error('expected an error');
}

describe('chooseRootfsBase', () => {
  it('picks Debian 12 from a Debian source', () => {
    const sources = [
      source('http://mirror.example/debian/', ['bookworm', 'bookworm-updates']),
      source('http://security.example/debian-security', ['bookworm-security']),
    ];

    const base = chooseRootfsBase(sources);

    expect(base).toEqual({ distribution: 'debian', suite: 'bookworm', mirror: 'http://mirror.example/debian', components: ['main'] });
  });

  it('picks Ubuntu noble when configured', async () => {
    const text = await readFile(new URL('../test/fixtures/ubuntu.sources', import.meta.url), 'utf8');
    const sources = [source('http://mirror.example/debian', ['bookworm']), ...parseDeb822Sources(text, 'ubuntu.sources')];

    const base = chooseRootfsBase(sources);

    expect(base.distribution).toBe('ubuntu');
    expect(base.suite).toBe('noble');
    expect(base.mirror).toBe('http://ubuntu-mirror.example/ubuntu');
    expect(base.components).toEqual(['main', 'restricted', 'universe', 'multiverse']);
  });

  it('picks noble from a noble pocket alone', () => {
    const base = chooseRootfsBase([source('http://ubuntu-mirror.example/ubuntu', ['noble-updates'], ['main', 'universe'])]);

    expect(base).toMatchObject({ distribution: 'ubuntu', suite: 'noble', mirror: 'http://ubuntu-mirror.example/ubuntu' });
  });

  it('ignores another Ubuntu release', () => {
    const sources = [source('http://ubuntu-mirror.example/ubuntu', ['jammy']), source('http://mirror.example/debian', ['bookworm'])];

    const base = chooseRootfsBase(sources);

    expect(base).toMatchObject({ distribution: 'debian', suite: 'bookworm', mirror: 'http://mirror.example/debian' });
  });

  it('uses a mirror of another Debian suite for bookworm', () => {
    const base = chooseRootfsBase([source('http://mirror.example/debian', ['trixie', 'trixie-updates'])]);

    expect(base).toMatchObject({ distribution: 'debian', suite: 'bookworm', mirror: 'http://mirror.example/debian' });
  });

  it('skips security, deb-src and non-http sources', () => {
    const sources: AptSource[] = [
      source('http://security.example/debian-security', ['bookworm-security']),
      { types: ['deb-src'], uris: ['http://src.example/debian'], suites: ['bookworm'], components: ['main'], file: 'a' },
      source('ftp://ftp.example/debian', ['bookworm']),
      source('https://mirror.example/debian', ['bookworm']),
    ];

    expect(chooseRootfsBase(sources).mirror).toBe('https://mirror.example/debian');
  });

  it('lets options override the mirror and suite', () => {
    const sources = [source('http://mirror.example/debian', ['bookworm'], ['main', 'contrib'])];

    const base = chooseRootfsBase(sources, { mirror: 'http://other.example/debian/', suite: 'trixie' });

    expect(base).toEqual({ distribution: 'debian', suite: 'trixie', mirror: 'http://other.example/debian', components: ['main', 'contrib'] });
  });

  it('takes a mirror option without sources', () => {
    const base = chooseRootfsBase([], { mirror: 'http://ubuntu-mirror.example/ubuntu', suite: 'noble' });

    expect(base).toEqual({ distribution: 'ubuntu', suite: 'noble', mirror: 'http://ubuntu-mirror.example/ubuntu', components: ['main', 'universe'] });
  });

  it('raises NO_MIRROR naming the files and the option', () => {
    const sources = [source('https://vendor.example/apt', ['stable'], ['main'], '/etc/apt/sources.list.d/vendor.list')];

    const error = errorOf(() => chooseRootfsBase(sources.filter((entry) => entry.suites.includes('bookworm'))));
    const withFiles = errorOf(() => chooseRootfsBase([source('http://security.example/debian-security', ['bookworm-security'], ['main'], '/etc/apt/sources.list.d/debian.sources')]));

    expect(error).toBeInstanceOf(RootfsError);
    expect(error.code).toBe('ROOTFS_ERR_NO_MIRROR');
    expect(error.message).toContain('/etc/apt/sources.list.d/*.list and *.sources');
    expect(error.message).toContain('--mirror');
    expect(withFiles.code).toBe('ROOTFS_ERR_NO_MIRROR');
    expect(withFiles.message).toContain('/etc/apt/sources.list.d/debian.sources');
  });

  it('rejects a mirror that is not http', () => {
    const error = errorOf(() => chooseRootfsBase([], { mirror: 'file:/srv/repo' }));

    expect(error.code).toBe('ROOTFS_ERR_INVALID_ARGUMENT');
    expect(error.message).toContain('"file:/srv/repo"');
  });

  it('rejects a malformed suite', () => {
    const error = errorOf(() => chooseRootfsBase([], { mirror: 'http://mirror.example/debian', suite: 'Book worm' }));

    expect(error.code).toBe('ROOTFS_ERR_INVALID_ARGUMENT');
    expect(error.message).toContain('"Book worm"');
  });
});
