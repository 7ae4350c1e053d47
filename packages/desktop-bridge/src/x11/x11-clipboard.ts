import type { X11Event, XFixesExtension } from 'x11';

import type { ClipboardListener } from '../desktop-control.js';
import { BridgeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { internAtoms, request, type X11Connection } from './x11-connection.js';

/**
 * Largest clipboard text the bridge offers or reads, in UTF-8 bytes. Larger text needs the INCR transfer of the
 * ICCCM, which this client does not implement, because one ChangeProperty request without BIG-REQUESTS carries at
 * most 256 KiB.
 */
export const MAX_X11_CLIPBOARD_BYTES = 256 * 1024 - 64;

const ATOM_NAMES = ['CLIPBOARD', 'PRIMARY', 'UTF8_STRING', 'STRING', 'TEXT', 'TARGETS', 'ATOM', 'INCR', 'DESKVM_CLIPBOARD'] as const;

type Atoms = Record<(typeof ATOM_NAMES)[number], number>;

const SELECTION_REQUEST = 30;
const SELECTION_NOTIFY = 31;
const PROP_MODE_REPLACE = 0;
const ANY_PROPERTY_TYPE = 0;

/**
 * The desktop clipboard through X selections. Setting text makes a hidden window of this connection the owner of
 * CLIPBOARD and PRIMARY and serves the ICCCM conversion requests of other programs. XFixes reports when another
 * program takes CLIPBOARD; the text is then converted to UTF8_STRING and passed to the listeners.
 */
export class X11Clipboard {
  readonly #connection: X11Connection;
  readonly #atoms: Atoms;
  readonly #window: number;
  readonly #fixes: XFixesExtension;
  readonly #logger: Logger;
  readonly #listeners = new Set<ClipboardListener>();
  #owned: Buffer | undefined;
  #reading: Promise<void> | undefined;
  #readAgain = false;
  #pendingConversion: ((property: number) => void) | undefined;

  private constructor(connection: X11Connection, atoms: Atoms, window: number, fixes: XFixesExtension, logger: Logger) {
    this.#connection = connection;
    this.#atoms = atoms;
    this.#window = window;
    this.#fixes = fixes;
    this.#logger = logger;
    connection.client.on('event', (event: X11Event) => this.#onEvent(event));
  }

  /** Creates the hidden window and starts watching CLIPBOARD. */
  static async create(connection: X11Connection, logger: Logger): Promise<X11Clipboard> {
    const { client, root } = connection;
    const atoms = await internAtoms(client, ATOM_NAMES);
    const fixes = await request<XFixesExtension>((callback) => client.require('fixes', callback)).catch((error: unknown) => {
      throw new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', 'The X server has no XFIXES extension, so clipboard changes cannot be watched.', {
        cause: error,
      });
    });
    const window = client.AllocID();

    client.CreateWindow(window, root, -10, -10, 1, 1, 0, 0, 0, 0, {});
    fixes.SelectSelectionInput(window, atoms.CLIPBOARD, fixes.SelectionEventMask.SetSelectionOwner);
    await client.sync();
    return new X11Clipboard(connection, atoms, window, fixes, logger);
  }

  /**
   * Registers a listener for text that other programs put on CLIPBOARD, and for the errors of reading it, such as
   * text over {@link MAX_X11_CLIPBOARD_BYTES}. Returns a function that removes the listener.
   */
  watch(listener: ClipboardListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Puts text on CLIPBOARD and PRIMARY.
   *
   * @throws BridgeError `BRIDGE_ERR_DESKTOP_FAILED` for text longer than {@link MAX_X11_CLIPBOARD_BYTES}
   */
  async set(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');

    if (bytes.length > MAX_X11_CLIPBOARD_BYTES) {
      throw new BridgeError(
        'BRIDGE_ERR_DESKTOP_FAILED',
        `Clipboard text of ${bytes.length} bytes is too long for the desktop: at most ${MAX_X11_CLIPBOARD_BYTES} bytes.`,
      );
    }

    this.#owned = bytes;
    this.#connection.client.SetSelectionOwner(this.#window, this.#atoms.CLIPBOARD, 0);
    this.#connection.client.SetSelectionOwner(this.#window, this.#atoms.PRIMARY, 0);
    await this.#connection.client.sync();
  }

  /** Reads CLIPBOARD as UTF-8 text now; undefined when no program owns it or the owner offers no text. */
  async read(): Promise<string | undefined> {
    const { client } = this.#connection;
    const converted = new Promise<number>((resolve) => {
      this.#pendingConversion = resolve;
    });

    client.ConvertSelection(this.#window, this.#atoms.CLIPBOARD, this.#atoms.UTF8_STRING, this.#atoms.DESKVM_CLIPBOARD, 0);

    const property = await withTimeout(converted, 2000, 'The clipboard owner did not answer within 2000 ms.');

    if (property === 0) {
      return undefined;
    }

    const maxLongs = Math.ceil(MAX_X11_CLIPBOARD_BYTES / 4);
    const value = await request<{ type: number; data: Buffer; bytesAfter: number }>((callback) =>
      client.GetProperty(1, this.#window, property, ANY_PROPERTY_TYPE, 0, maxLongs, callback),
    );

    if (value.type === this.#atoms.INCR || value.bytesAfter > 0) {
      throw new BridgeError(
        'BRIDGE_ERR_DESKTOP_FAILED',
        `The desktop clipboard contains more than ${MAX_X11_CLIPBOARD_BYTES} bytes, the maximum this bridge reads, ` +
          'because it does not implement the INCR transfer. Copy less text.',
      );
    }

    return value.data.toString('utf8');
  }

  /** Destroys the hidden window; the connection stays open. */
  close(): void {
    this.#listeners.clear();
    this.#connection.client.DestroyWindow(this.#window);
  }

  #onEvent(event: X11Event): void {
    if (event.type === this.#fixes.firstEvent) {
      this.#ownerChanged(event.owner as number);
    } else if (event.type === SELECTION_REQUEST) {
      this.#serve(event);
    } else if (event.type === SELECTION_NOTIFY && event.requestor === this.#window) {
      this.#pendingConversion?.(event.property as number);
      this.#pendingConversion = undefined;
    }
  }

  #ownerChanged(owner: number): void {
    if (owner !== this.#window && owner !== 0) {
      this.#scheduleRead();
    }
  }

  /** Reads the clipboard, or reads it once more after the read in progress, so no change is missed. */
  #scheduleRead(): void {
    if (this.#reading !== undefined) {
      this.#readAgain = true;
      return;
    }

    this.#reading = this.#readAndNotify().finally(() => {
      this.#reading = undefined;

      if (this.#readAgain) {
        this.#readAgain = false;
        this.#scheduleRead();
      }
    });
  }

  async #readAndNotify(): Promise<void> {
    try {
      const text = await this.read();

      if (text !== undefined) {
        for (const listener of this.#listeners) {
          listener(text);
        }
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));

      this.#logger.warn('desktop clipboard read failed', { error: failure.message });

      for (const listener of this.#listeners) {
        listener(failure);
      }
    }
  }

  /** Serves another program's conversion request for a selection this window owns (ICCCM section 2.2). */
  #serve(event: X11Event): void {
    const { client } = this.#connection;
    const atoms = this.#atoms;
    const requestor = event.requestor as number;
    const target = event.target as number;
    // Obsolete clients send property None, and the ICCCM then requires the target atom as the property.
    const property = (event.property as number) === 0 ? target : (event.property as number);
    let answered = property;

    if (this.#owned === undefined) {
      answered = 0;
    } else if (target === atoms.TARGETS) {
      client.ChangeProperty(PROP_MODE_REPLACE, requestor, property, atoms.ATOM, 32, [
        atoms.TARGETS,
        atoms.UTF8_STRING,
        atoms.STRING,
        atoms.TEXT,
      ]);
    } else if (target === atoms.UTF8_STRING || target === atoms.TEXT) {
      client.ChangeProperty(PROP_MODE_REPLACE, requestor, property, atoms.UTF8_STRING, 8, this.#owned);
    } else if (target === atoms.STRING) {
      client.ChangeProperty(PROP_MODE_REPLACE, requestor, property, atoms.STRING, 8, Buffer.from(this.#owned.toString('utf8'), 'latin1'));
    } else {
      answered = 0;
    }

    client.SendEvent(requestor, false, 0, {
      type: SELECTION_NOTIFY,
      seq: 0,
      time: event.time,
      requestor,
      selection: event.selection,
      target,
      property: answered,
    });
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', message)), timeoutMs);
  });

  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
