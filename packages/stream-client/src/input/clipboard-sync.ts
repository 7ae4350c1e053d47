import { MAX_CLIPBOARD_BYTES, type ClientClipboard } from '@deskvm/stream-protocol';

import { silentLogger, type Logger } from '../logger.js';

/** Options of `ClipboardSync`. */
export interface ClipboardSyncOptions {
  /** The element whose paste and focus events send the local clipboard. */
  element: HTMLElement;
  /** Sends the clipboard message to the server. */
  send: (message: ClientClipboard) => void;
  /** Called with the desktop's clipboard text whenever it arrives, whether or not writing it locally worked. */
  onRemoteText?: (text: string, written: boolean) => void;
  /** Logger for texts that are too large and for denied clipboard access. Default: silent. */
  logger?: Logger;
}

/**
 * Keeps the desktop's clipboard and the browser's in step. It sends the local text on paste (from the event's
 * clipboard data, which needs no permission) and on focus (through `navigator.clipboard.readText()`, which the
 * browser may deny). Text from the desktop goes to `navigator.clipboard.writeText()` when the page has focus.
 */
export class ClipboardSync {
  private readonly logger: Logger;
  private readonly removers: (() => void)[] = [];
  private lastSent: string | undefined;
  private lastReceived: string | undefined;

  constructor(private readonly options: ClipboardSyncOptions) {
    this.logger = options.logger ?? silentLogger;
    const { element } = options;

    const onPaste = (event: Event): void => {
      const text = (event as ClipboardEvent).clipboardData?.getData('text/plain');
      if (text !== undefined) {
        this.sendText(text);
      }
    };
    const onFocus = (): void => void this.sendFromNavigator();

    element.addEventListener('paste', onPaste);
    element.addEventListener('focus', onFocus);
    this.removers.push(
      () => element.removeEventListener('paste', onPaste),
      () => element.removeEventListener('focus', onFocus),
    );
  }

  /** Takes the desktop's clipboard text: writes it locally where allowed, then reports it through `onRemoteText`. */
  async receive(text: string): Promise<void> {
    this.lastReceived = text;
    let written = false;

    if (typeof navigator !== 'undefined' && navigator.clipboard !== undefined && document.hasFocus()) {
      try {
        await navigator.clipboard.writeText(text);
        written = true;
      } catch (error) {
        this.logger.debug('Writing the clipboard was denied', { error: error instanceof Error ? error.message : String(error) });
      }
    }

    this.options.onRemoteText?.(text, written);
  }

  /** Sends `text` unless it is what was last sent or just received, or larger than the protocol allows. */
  sendText(text: string): void {
    if (text === this.lastSent || text === this.lastReceived) {
      return;
    }

    const bytes = new TextEncoder().encode(text).length;
    if (bytes > MAX_CLIPBOARD_BYTES) {
      this.logger.warn('Clipboard text is too large to send', { bytes, maxBytes: MAX_CLIPBOARD_BYTES });
      return;
    }

    this.lastSent = text;
    this.options.send({ type: 'client-clipboard', text });
  }

  /** Removes the listeners. */
  destroy(): void {
    for (const remove of this.removers.splice(0)) {
      remove();
    }
  }

  private async sendFromNavigator(): Promise<void> {
    if (typeof navigator === 'undefined' || navigator.clipboard?.readText === undefined) {
      return;
    }

    try {
      const text = await navigator.clipboard.readText();
      // An empty local clipboard (or one holding only an image) must not clear the desktop's on every focus.
      if (text !== '') {
        this.sendText(text);
      }
    } catch (error) {
      this.logger.debug('Reading the clipboard was denied', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
