import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Family code of an Xauthority entry that matches any address (FamilyWild in libXau). */
const FAMILY_WILD = 0xffff;

const COOKIE_NAME = 'MIT-MAGIC-COOKIE-1';

/** An Xauthority file with one random MIT-MAGIC-COOKIE-1, in a folder only this user can read. */
export interface XAuthority {
  /** Path of the file, for Xvfb's `-auth` and for the clients' XAUTHORITY. */
  readonly path: string;
  /** The private folder that contains the file, for cleanup after deskvm itself is gone. */
  readonly folder: string;
  /** Deletes the file and its folder. */
  remove(): Promise<void>;
}

/**
 * Creates the cookie that Xvfb requires from every client, so other users of this machine cannot connect to the
 * desktop and type into its terminal. The entry has the wildcard family and an empty display number, which libXau
 * matches for any display, because the display number is only known after Xvfb has started.
 *
 * @param fixedFolder - a folder of deskvm's own for the file, such as the one the desktop container names in its
 *   XAUTHORITY so that programs started later find the cookie. It is deleted first if a killed run left it behind.
 *   Default: a new private folder under the temp directory.
 */
export async function createXAuthority(fixedFolder?: string): Promise<XAuthority> {
  const folder = fixedFolder === undefined ? await mkdtemp(join(tmpdir(), 'deskvm-x-')) : await recreateFolder(fixedFolder);
  const path = join(folder, 'Xauthority');
  await writeFile(path, encodeEntry(randomBytes(16)), { mode: 0o600, flag: 'wx' });
  return { path, folder, remove: () => rm(folder, { recursive: true, force: true }) };
}

/** Encodes one Xauthority entry: family, address, display number, name and data, each length-prefixed (u16 BE). */
function encodeEntry(cookie: Buffer): Buffer {
  const field = (value: Buffer): Buffer => Buffer.concat([u16(value.length), value]);
  return Buffer.concat([
    u16(FAMILY_WILD),
    field(Buffer.alloc(0)),
    field(Buffer.alloc(0)),
    field(Buffer.from(COOKIE_NAME, 'latin1')),
    field(cookie),
  ]);
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

async function recreateFolder(folder: string): Promise<string> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { mode: 0o700 });
  return folder;
}
