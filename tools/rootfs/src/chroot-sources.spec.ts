import { describe, expect, it } from '@jest/globals';

import type { AptSource } from './apt-sources.js';
import { renderChrootSources } from './chroot-sources.js';
import type { RootfsBase } from './rootfs-base.js';

const base: RootfsBase = { distribution: 'debian', suite: 'bookworm', mirror: 'http://mirror.example/debian', components: ['main'] };

function source(uri: string, suites: string[], components = ['main']): AptSource {
  return { types: ['deb'], uris: [uri], suites, components, file: '/etc/apt/sources.list.d/debian.sources' };
}

describe('renderChrootSources', () => {
  it('adds the pockets the host has', () => {
    const host = [
      source('http://mirror.example/debian', ['bookworm', 'bookworm-updates']),
      source('http://security.example/debian-security/', ['bookworm-security'], ['main', 'non-free-firmware']),
    ];

    expect(renderChrootSources(base, host)).toBe(
      'deb http://mirror.example/debian bookworm main\n' +
        'deb http://mirror.example/debian bookworm-updates main\n' +
        'deb http://security.example/debian-security bookworm-security main non-free-firmware\n',
    );
  });

  it('writes only the base without host pockets', () => {
    const host = [source('http://mirror.example/debian', ['trixie', 'trixie-updates'])];

    expect(renderChrootSources(base, host)).toBe('deb http://mirror.example/debian bookworm main\n');
  });

  it('skips deb-src pockets', () => {
    const host: AptSource[] = [{ ...source('http://mirror.example/debian', ['bookworm-updates']), types: ['deb-src'] }];

    expect(renderChrootSources(base, host)).toBe('deb http://mirror.example/debian bookworm main\n');
  });
});
