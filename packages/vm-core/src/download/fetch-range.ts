import { request, type Dispatcher } from 'undici';
import { VmError } from '../errors.js';

/** Bytes gathered from the response body before one file write: 1 MiB. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** The server sent the whole file (HTTP 200) for a request of part of it: it ignores Range. */
export class RangeIgnoredError extends Error {
  constructor(readonly url: string) {
    super(`The server of ${url} ignores Range requests.`);
    this.name = 'RangeIgnoredError';
  }
}

/** A failure that may pass on a later attempt: a dropped connection, a stall, HTTP 408, 429 or 5xx. */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown; stalled?: boolean }) {
    super(message, { cause: options?.cause });
    this.name = 'RetryableError';
    this.stalled = options?.stalled ?? false;
  }

  /** True when no bytes arrived for the stall timeout. */
  readonly stalled: boolean;
}

/** Options of `fetchRange`. */
export interface FetchRangeOptions {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** Abort the request when no header or body bytes arrive for this many milliseconds. */
  stallTimeoutMs: number;
  /** The file's size from the manifest, to check the server's Content-Range. */
  fileSize: number;
  /**
   * Receives consecutive pieces of the body with the file offset of the first, and must finish writing them before
   * resolving.
   */
  write: (pieces: readonly Buffer[], position: number) => Promise<void>;
}

/**
 * Downloads bytes `start` to `end` (inclusive) of `url` with a Range request, handing each piece to `write`.
 * Resolves when the whole range arrived. HTTP 206 is checked against the requested range. HTTP 200 is accepted only
 * when the range is the whole file, and raises `RangeIgnoredError` otherwise. HTTP 416 means that the server's file
 * is shorter than the manifest's size, and raises `VM_ERR_DOWNLOAD_SIZE`.
 */
export async function fetchRange(url: string, start: number, end: number, options: FetchRangeOptions): Promise<void> {
  let response: Dispatcher.ResponseData;

  try {
    response = await request(url, {
      method: 'GET',
      headers: { range: `bytes=${start}-${end}`, 'accept-encoding': 'identity' },
      dispatcher: options.dispatcher,
      signal: options.signal,
      headersTimeout: options.stallTimeoutMs,
      bodyTimeout: options.stallTimeoutMs,
    });
  } catch (error) {
    throw classifyNetworkError(url, error, options.signal);
  }

  // undici destroys the body with an error when the signal aborts later, and without a listener that error would be
  // unhandled. The loop below still receives it through the async iterator.
  response.body.on('error', () => undefined);

  const wholeFile = start === 0 && end === options.fileSize - 1;

  try {
    checkStatus(url, response, start, end, options.fileSize, wholeFile);
  } catch (error) {
    response.body.destroy();

    throw error;
  }

  // Body pieces (often 64 KiB) are gathered into writes of up to WRITE_BATCH_BYTES: one file write per piece would
  // cost a thread-pool round trip each and hold back the socket.
  let position = start;
  let batch: Buffer[] = [];
  let batchBytes = 0;

  const flush = async (): Promise<void> => {
    if (batchBytes === 0) {
      return;
    }

    const pieces = batch;
    const length = batchBytes;

    batch = [];
    batchBytes = 0;
    await options.write(pieces, position);
    position += length;
  };

  try {
    for await (const piece of response.body as AsyncIterable<Buffer>) {
      if (position + batchBytes + piece.length > end + 1) {
        throw new VmError(
          'VM_ERR_DOWNLOAD_SIZE',
          `The server sent more bytes than requested for ${url} (range ${start}-${end}). Check the manifest's size.`,
          { url },
        );
      }

      batch.push(piece);
      batchBytes += piece.length;

      if (batchBytes >= WRITE_BATCH_BYTES) {
        await flush();
      }
    }

    await flush();
  } catch (error) {
    response.body.destroy();

    // What arrived before the failure is valid, so it is kept and a retry continues after it.
    if (!(error instanceof VmError)) {
      await flush();
    }

    throw error instanceof VmError ? error : classifyNetworkError(url, error, options.signal);
  }

  if (position !== end + 1) {
    throw new RetryableError(`The connection for ${url} ended at byte ${position} of range ${start}-${end}.`);
  }
}

function checkStatus(
  url: string,
  response: Dispatcher.ResponseData,
  start: number,
  end: number,
  fileSize: number,
  wholeFile: boolean,
): void {
  const status = response.statusCode;

  if (status === 206) {
    const contentRange = String(response.headers['content-range'] ?? '');
    const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange);

    if (match === null || Number(match[1]) !== start) {
      throw new RetryableError(`The response to range ${start}-${end} of ${url} has an unexpected Content-Range "${contentRange}".`);
    }

    if (match[3] !== '*' && Number(match[3]) !== fileSize) {
      throw sizeMismatch(url, fileSize, Number(match[3]));
    }

    return;
  }

  if (status === 200) {
    if (!wholeFile) {
      throw new RangeIgnoredError(url);
    }

    return;
  }

  if (status === 416) {
    const total = /\/(\d+)$/.exec(String(response.headers['content-range'] ?? ''))?.[1];

    throw sizeMismatch(url, fileSize, total === undefined ? undefined : Number(total));
  }

  if (status === 408 || status === 429 || status >= 500) {
    throw new RetryableError(`The server returned HTTP ${status} for ${url}.`);
  }

  throw new VmError(
    'VM_ERR_DOWNLOAD_HTTP',
    `Downloading ${url} failed with HTTP ${status}. Check the manifest's base_url and that the file is published.`,
    { url },
  );
}

function sizeMismatch(url: string, expected: number, actual: number | undefined): VmError {
  const served = actual === undefined ? 'a shorter file (HTTP 416)' : `${actual} bytes`;

  return new VmError(
    'VM_ERR_DOWNLOAD_SIZE',
    `The server has ${served} for ${url}, but the manifest says ${expected} bytes. The manifest and the published ` +
      'files do not match: use the manifest of the same release.',
    { url },
  );
}

function classifyNetworkError(url: string, error: unknown, signal: AbortSignal): Error {
  if (signal.aborted) {
    return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
  }

  const certificateCode = errorCodes(error).find((candidate) => CERTIFICATE_ERROR_CODES.has(candidate));

  if (certificateCode !== undefined) {
    return new VmError(
      'VM_ERR_DOWNLOAD_TLS',
      `The TLS certificate of ${url} is not trusted (${certificateCode}). Check the URL, or trust the certificate's ` +
        'authority: start Node with NODE_EXTRA_CA_CERTS=FILE, or pass a dispatcher that trusts it.',
      { url, cause: error },
    );
  }

  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);

  // undici raises InvalidArgumentError for a request it cannot make. The URL itself is an http(s) URL checked by
  // parseManifest, so this comes from a redirect (to another scheme, or in a loop), and a retry would fail the same way.
  if (code === 'UND_ERR_INVALID_ARG') {
    const reason = message.startsWith('Invalid URL protocol')
      ? 'the server redirected to a URL whose scheme is not http: or https:, and downloads follow only those'
      : `the server's redirect could not be followed (${stripFinalPeriod(message)})`;

    return new VmError(
      'VM_ERR_DOWNLOAD_HTTP',
      `Downloading ${url} failed at once, because ${reason}. Check the manifest's base_url and the server's redirects.`,
      { url, cause: error },
    );
  }

  const stalled = code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT';

  return new RetryableError(`The connection failed: ${stripFinalPeriod(message)}.`, { cause: error, stalled });
}

function stripFinalPeriod(text: string): string {
  return text.replace(/\.+$/, '');
}

/**
 * Node's codes for a server certificate that fails verification (OpenSSL's X509_V_ERR names, and the host name check).
 * A later attempt cannot pass, so these are not retried.
 */
const CERTIFICATE_ERROR_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'INVALID_CA',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** Returns the `code` of an error and of each error in its `cause` chain, outermost first (at most 5 levels). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;

  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };

    if (typeof code === 'string') {
      codes.push(code);
    }

    current = cause;
  }

  return codes;
}
