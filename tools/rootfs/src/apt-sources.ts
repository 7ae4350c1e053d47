import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { RootfsError } from './errors.js';

/** One apt source entry: a line of sources.list, or a stanza of a deb822 `.sources` file. */
export interface AptSource {
  /** `deb` (binary packages) and `deb-src` (source packages). */
  types: ('deb' | 'deb-src')[];
  /** Archive root URIs, such as `http://<mirror>/debian`. */
  uris: string[];
  /** Suites (distribution codenames or pockets), such as `bookworm` or `bookworm-updates`. */
  suites: string[];
  /** Archive components, such as `main`. */
  components: string[];
  /** The file the entry was read from. */
  file: string;
}

/** Options of `readAptSources`. */
export interface ReadAptSourcesOptions {
  /** The file system root whose /etc/apt is read. Default `/`. */
  root?: string;
}

// Schemes of archives that are no package mirror a rootfs build can download from.
const SKIPPED_SCHEMES = ['cdrom:', 'file:', 'copy:'];

/**
 * Reads the apt sources of the machine: /etc/apt/sources.list and sources.list.d/*.list (one-line form, with an
 * optional `[options]` block) and sources.list.d/*.sources (deb822 stanzas). Entries for cdrom:, file: and copy:
 * archives and disabled entries (`Enabled: no`, or a commented line) are skipped. Missing files count as empty.
 * Raises `ROOTFS_ERR_IO` when a file exists but cannot be read.
 */
export async function readAptSources(options: ReadAptSourcesOptions = {}): Promise<AptSource[]> {
  const aptFolder = join(options.root ?? '/', 'etc', 'apt');
  const listFolder = join(aptFolder, 'sources.list.d');
  const names = (await readFolder(listFolder)).sort();
  const sources: AptSource[] = [];

  sources.push(...parseOneLineSources(await readText(join(aptFolder, 'sources.list')), join(aptFolder, 'sources.list')));

  for (const name of names) {
    const file = join(listFolder, name);

    if (name.endsWith('.list')) {
      sources.push(...parseOneLineSources(await readText(file), file));
    } else if (name.endsWith('.sources')) {
      sources.push(...parseDeb822Sources(await readText(file), file));
    }
  }

  return sources;
}

/** Parses the one-line form (`deb [arch=amd64 signed-by=...] URI SUITE COMPONENT...`); `file` is recorded in each. */
export function parseOneLineSources(text: string, file: string): AptSource[] {
  const sources: AptSource[] = [];

  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const match = /^(deb|deb-src)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)(.*)$/.exec(line);

    if (match === null) {
      continue;
    }

    const [, type, uri, suite, rest] = match as unknown as [string, 'deb' | 'deb-src', string, string, string];
    const source = { types: [type], uris: [uri], suites: [suite], components: words(rest), file };

    if (isUsable(source)) {
      sources.push(source);
    }
  }

  return sources;
}

/**
 * Parses deb822 `.sources` text: stanzas separated by blank lines, `Field: value` lines, continuation lines that start
 * with a space, and `#` comment lines. A stanza with `Enabled: no` is skipped.
 */
export function parseDeb822Sources(text: string, file: string): AptSource[] {
  const sources: AptSource[] = [];

  for (const stanza of splitStanzas(text)) {
    if ((stanza.get('enabled') ?? 'yes').toLowerCase() === 'no') {
      continue;
    }

    const types = words(stanza.get('types') ?? '').filter((type): type is 'deb' | 'deb-src' => type === 'deb' || type === 'deb-src');
    const source: AptSource = {
      types,
      uris: words(stanza.get('uris') ?? ''),
      suites: words(stanza.get('suites') ?? ''),
      components: words(stanza.get('components') ?? ''),
      file,
    };

    if (source.types.length > 0 && source.suites.length > 0 && isUsable(source)) {
      sources.push(source);
    }
  }

  return sources;
}

function splitStanzas(text: string): Map<string, string>[] {
  const stanzas: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let field: string | undefined;

  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      continue;
    }

    if (line.trim() === '') {
      if (current.size > 0) {
        stanzas.push(current);
      }

      current = new Map();
      field = undefined;
      continue;
    }

    if (/^\s/.test(line)) {
      if (field !== undefined) {
        current.set(field, `${current.get(field) ?? ''} ${line.trim()}`);
      }

      continue;
    }

    const colon = line.indexOf(':');

    if (colon > 0) {
      field = line.slice(0, colon).trim().toLowerCase();
      current.set(field, line.slice(colon + 1).trim());
    }
  }

  if (current.size > 0) {
    stanzas.push(current);
  }

  return stanzas;
}

function isUsable(source: AptSource): boolean {
  source.uris = source.uris.filter((uri) => !SKIPPED_SCHEMES.some((scheme) => uri.toLowerCase().startsWith(scheme)));

  return source.uris.length > 0;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

async function readFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }

    throw new RootfsError('ROOTFS_ERR_IO', `Could not list the apt sources folder ${folder}.`, { cause: error });
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return '';
    }

    throw new RootfsError('ROOTFS_ERR_IO', `Could not read the apt sources file ${file}.`, { cause: error });
  }
}
