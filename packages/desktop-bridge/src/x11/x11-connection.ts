import { readFile } from 'node:fs/promises';

import x11, { type X11Client, type X11Display } from 'x11';

import { BridgeError } from '../errors.js';

/** An open X11 connection and the root window of its first screen. */
export interface X11Connection {
  readonly client: X11Client;
  readonly display: X11Display;
  readonly root: number;
}

/**
 * Opens one X11 connection to `display`. With `xauthorityPath`, its first MIT-MAGIC-COOKIE-1 entry is presented;
 * otherwise the `x11` package reads XAUTHORITY or ~/.Xauthority.
 *
 * @throws BridgeError `BRIDGE_ERR_DESKTOP_FAILED` when the connection or the authorization fails
 */
export async function openX11(display: string, xauthorityPath: string | undefined): Promise<X11Connection> {
  const auth = xauthorityPath === undefined ? undefined : await readCookie(xauthorityPath);

  return new Promise((resolve, reject) => {
    const client = x11.createClient({ display, ...(auth === undefined ? {} : { auth }) }, (error, opened) => {
      if (error) {
        reject(
          new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', `Could not connect to the X display ${display}: ${error.message}`, {
            cause: error,
          }),
        );
        return;
      }

      const screen = opened.screen[0];

      if (screen === undefined) {
        reject(new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', `The X display ${display} has no screen.`));
        return;
      }

      resolve({ client, display: opened, root: screen.root });
    });
  });
}

/** Interns atoms by name, in one round trip per name. */
export async function internAtoms<Name extends string>(client: X11Client, names: readonly Name[]): Promise<Record<Name, number>> {
  const entries = await Promise.all(
    names.map(
      (name) =>
        new Promise<[Name, number]>((resolve, reject) => {
          client.InternAtom(false, name, (error, atom) => (error ? reject(error) : resolve([name, atom])));
        }),
    ),
  );

  return Object.fromEntries(entries) as Record<Name, number>;
}

/** Calls an X11 request that takes a node-style callback and returns its result as a promise. */
export function request<T>(start: (callback: (error: Error | null | undefined, result: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * Reads the first MIT-MAGIC-COOKIE-1 entry of an Xauthority file. Each entry is: family (u16), address, display
 * number, authorization name and data, each a u16 big-endian length and bytes.
 */
async function readCookie(path: string): Promise<{ name: string; data: string }> {
  const file = await readFile(path).catch((error: unknown) => {
    throw new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', `Could not read the Xauthority file ${path}.`, { cause: error });
  });
  let offset = 0;

  const field = (): Buffer => {
    const length = file.readUInt16BE(offset);
    const value = file.subarray(offset + 2, offset + 2 + length);

    offset += 2 + length;
    return value;
  };

  try {
    while (offset < file.length) {
      offset += 2;
      field();
      field();

      const name = field().toString('latin1');
      const data = field();

      // The x11 package writes the cookie with Buffer.write(..., 'latin1'), so it takes the bytes as a latin1 string.
      if (name === 'MIT-MAGIC-COOKIE-1') {
        return { name, data: data.toString('latin1') };
      }
    }
  } catch (error) {
    throw new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', `The Xauthority file ${path} is truncated.`, { cause: error });
  }

  throw new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', `The Xauthority file ${path} has no MIT-MAGIC-COOKIE-1 entry.`);
}
