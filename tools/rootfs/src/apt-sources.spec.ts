import { describe, expect, it } from '@jest/globals';

import { fileURLToPath } from 'node:url';

import { parseDeb822Sources, parseOneLineSources, readAptSources } from './apt-sources.js';

const fixtureRoot = fileURLToPath(new URL('../test/fixtures/apt-root/', import.meta.url));

describe('readAptSources', () => {
  it('reads sources.list, *.list and *.sources only', async () => {
    const sources = await readAptSources({ root: fixtureRoot });

    const files = [...new Set(sources.map((source) => source.file.slice(fixtureRoot.length)))];
    expect(files).toEqual(['etc/apt/sources.list', 'etc/apt/sources.list.d/debian.sources', 'etc/apt/sources.list.d/vendor.list']);
  });

  it('skips cdrom, file and commented entries', async () => {
    const sources = await readAptSources({ root: fixtureRoot });

    const uris = sources.flatMap((source) => source.uris);
    expect(uris.some((uri) => uri.startsWith('cdrom:'))).toBe(false);
    expect(uris.some((uri) => uri.startsWith('file:'))).toBe(false);
    expect(uris).not.toContain('http://commented.example/debian');
    expect(uris).not.toContain('http://disabled.example/debian');
  });

  it('returns nothing for a root without apt', async () => {
    const sources = await readAptSources({ root: fileURLToPath(new URL('../test/fixtures/', import.meta.url)) });

    expect(sources).toEqual([]);
  });
});

describe('parseOneLineSources', () => {
  it('drops the options block and comments', () => {
    const text = 'deb [arch=amd64 signed-by=/usr/share/keyrings/a.gpg] http://mirror.example/debian bookworm main contrib # note\n';

    const [source, ...rest] = parseOneLineSources(text, '/etc/apt/sources.list');

    expect(rest).toEqual([]);
    expect(source).toEqual({
      types: ['deb'],
      uris: ['http://mirror.example/debian'],
      suites: ['bookworm'],
      components: ['main', 'contrib'],
      file: '/etc/apt/sources.list',
    });
  });

  it('reads deb-src lines as their own type', () => {
    const sources = parseOneLineSources('deb-src http://mirror.example/debian bookworm main\n', 'x.list');

    expect(sources.map((source) => source.types)).toEqual([['deb-src']]);
  });

  it('ignores lines that are not entries', () => {
    const sources = parseOneLineSources('# deb http://a.example/ x main\n\nnot a source line\ndeb\n', 'x.list');

    expect(sources).toEqual([]);
  });
});

describe('parseDeb822Sources', () => {
  const text = [
    'Types: deb deb-src',
    '# a comment inside a stanza',
    'URIs: http://mirror.example/debian',
    '  http://second.example/debian',
    'Suites: bookworm bookworm-updates',
    'Components: main',
    ' non-free-firmware',
    '',
    '',
    'Enabled: no',
    'Types: deb',
    'URIs: http://disabled.example/debian',
    'Suites: trixie',
    'Components: main',
    '',
    'types: deb',
    'uris: cdrom:/media/cdrom/',
    'suites: bookworm',
    '',
    'Types: deb',
    'URIs: http://security.example/debian-security',
    'Suites: bookworm-security',
    'Components: main',
  ].join('\n');

  it('reads every enabled stanza', () => {
    const sources = parseDeb822Sources(text, 'debian.sources');

    expect(sources.map((source) => source.suites)).toEqual([['bookworm', 'bookworm-updates'], ['bookworm-security']]);
  });

  it('joins continuation lines into multi-value fields', () => {
    const [first] = parseDeb822Sources(text, 'debian.sources');

    expect(first?.types).toEqual(['deb', 'deb-src']);
    expect(first?.uris).toEqual(['http://mirror.example/debian', 'http://second.example/debian']);
    expect(first?.components).toEqual(['main', 'non-free-firmware']);
  });

  it('treats Enabled case-insensitively', () => {
    const sources = parseDeb822Sources('Types: deb\nURIs: http://a.example/debian\nSuites: bookworm\nEnabled: No\n', 'a.sources');

    expect(sources).toEqual([]);
  });

  it('skips a stanza without suites', () => {
    const sources = parseDeb822Sources('Types: deb\nURIs: http://a.example/debian\nComponents: main\n', 'a.sources');

    expect(sources).toEqual([]);
  });
});
