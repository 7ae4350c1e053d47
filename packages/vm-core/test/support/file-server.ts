import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** How the test file server misbehaves. */
export interface FileServerBehaviour {
  /** Respond to HEAD with 405, as some object stores and CDNs do. Default true. */
  headNotAllowed?: boolean;
  /** Ignore Range headers and always send the whole file with 200. */
  ignoreRange?: boolean;
  /** Destroy the connection after this many body bytes, for the first `dropCount` GET requests. */
  dropAfterBytes?: number;
  /** How many GET requests are cut off by `dropAfterBytes`. Default 1. */
  dropCount?: number;
  /** Flip one byte of every response body at this file offset: the server serves wrong bytes. */
  corruptOffset?: number;
  /** Stop sending (but keep the connection open) after this many bytes, for the first `stallCount` GET requests. */
  stallAfterBytes?: number;
  /** How many GET requests stall. Default 1. */
  stallCount?: number;
  /** Pause this many milliseconds after each 64 KiB of body, to make a download slow enough to interrupt. */
  delayPer64KiBMs?: number;
  /** Respond to every GET with this status and no body. */
  status?: number;
  /** Close the connection without a response for every GET from this one on (0 is the first GET). */
  dropFromGet?: number;
  /** Send the headers and no body, keeping the connection open, for every GET from this one on (0 is the first GET). */
  stallFromGet?: number;
  /** Respond to every GET with 302 and this Location. */
  redirectTo?: string;
}

/** A request the server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  range?: string;
  /** The `via` header a proxy adds, if any. */
  via?: string;
}

/** A PEM private key and certificate, for a file server that serves HTTPS. */
export interface TlsCredentials {
  key: string;
  cert: string;
}

/** An HTTP or HTTPS server on 127.0.0.1 that serves byte arrays by path, with configurable faults. */
export class FileServer {
  readonly requests: ReceivedRequest[] = [];
  readonly files = new Map<string, Buffer>();
  behaviour: FileServerBehaviour = {};
  private server: Server | undefined;
  private gets = 0;

  /** @param tls - serve HTTPS with this key and certificate; default plain HTTP */
  constructor(private readonly tls?: TlsCredentials) {}

  /** The base URL, such as `http://127.0.0.1:PORT/` or `https://127.0.0.1:PORT/`. */
  get baseUrl(): string {
    return `${this.tls === undefined ? 'http' : 'https'}://127.0.0.1:${this.port}/`;
  }

  /** The port the server listens on. */
  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      void this.handle(request, response);
    };

    this.server = this.tls === undefined ? createServer(handler) : createHttpsServer(this.tls, handler);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /** Clears the recorded requests and counters, and sets a new behaviour. */
  reset(behaviour: FileServerBehaviour = {}): void {
    this.behaviour = behaviour;
    this.requests.length = 0;
    this.bytesSent = 0;
    this.gets = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Bytes sent with status 200 or 206, summed over every GET. */
  bytesSent = 0;

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const name = decodeURIComponent((request.url ?? '/').replace(/^https?:\/\/[^/]+/, '').slice(1));

    this.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      range: request.headers.range,
      via: request.headers.via as string | undefined,
    });

    if (request.method === 'HEAD' && this.behaviour.headNotAllowed !== false) {
      response.writeHead(405).end();

      return;
    }

    const file = this.files.get(name);

    if (file === undefined) {
      response.writeHead(404).end();

      return;
    }

    const getIndex = this.gets;

    this.gets += 1;

    if (this.behaviour.dropFromGet !== undefined && getIndex >= this.behaviour.dropFromGet) {
      response.socket?.destroy();

      return;
    }

    if (this.behaviour.redirectTo !== undefined) {
      response.writeHead(302, { location: this.behaviour.redirectTo }).end();

      return;
    }

    if (this.behaviour.status !== undefined) {
      response.writeHead(this.behaviour.status).end();

      return;
    }

    let start = 0;
    let end = file.length - 1;
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');

    if (range !== null && this.behaviour.ignoreRange !== true) {
      start = Number(range[1]);
      end = range[2] === '' ? file.length - 1 : Math.min(Number(range[2]), file.length - 1);

      if (start >= file.length) {
        response.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();

        return;
      }

      response.writeHead(206, { 'content-range': `bytes ${start}-${end}/${file.length}`, 'content-length': end - start + 1 });
    } else {
      response.writeHead(200, { 'content-length': file.length });
    }

    if (this.behaviour.stallFromGet !== undefined && getIndex >= this.behaviour.stallFromGet) {
      response.flushHeaders();

      return;
    }

    await this.sendBody(response, file, start, end, getIndex);
  }

  private async sendBody(response: ServerResponse, file: Buffer, start: number, end: number, getIndex: number): Promise<void> {
    const body = Buffer.from(file.subarray(start, end + 1));
    const corrupt = this.behaviour.corruptOffset;

    if (corrupt !== undefined && corrupt >= start && corrupt <= end) {
      body[corrupt - start] ^= 0xff;
    }

    const dropAt = getIndex < (this.behaviour.dropCount ?? 1) ? this.behaviour.dropAfterBytes : undefined;
    const stallAt = getIndex < (this.behaviour.stallCount ?? 1) ? this.behaviour.stallAfterBytes : undefined;
    const piece = 64 * 1024;

    for (let offset = 0; offset < body.length; offset += piece) {
      const slice = body.subarray(offset, Math.min(body.length, offset + piece));

      if (dropAt !== undefined && offset + slice.length > dropAt) {
        response.write(slice.subarray(0, Math.max(0, dropAt - offset)));
        this.bytesSent += Math.max(0, dropAt - offset);
        await new Promise((resolve) => setTimeout(resolve, 20));
        response.socket?.destroy();

        return;
      }

      if (stallAt !== undefined && offset + slice.length > stallAt) {
        response.write(slice.subarray(0, Math.max(0, stallAt - offset)));

        return;
      }

      if (!response.write(slice)) {
        await new Promise((resolve) => response.once('drain', resolve));
      }

      this.bytesSent += slice.length;

      if (this.behaviour.delayPer64KiBMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, this.behaviour.delayPer64KiBMs));
      }

      if (response.destroyed) {
        return;
      }
    }

    response.end();
  }
}
