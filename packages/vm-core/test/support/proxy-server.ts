import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A forward HTTP proxy on 127.0.0.1 for tests. It forwards plain requests with absolute URLs and tunnels CONNECT,
 * both only to 127.0.0.1, and records what it forwarded.
 */
export class LoopbackProxy {
  readonly forwarded: string[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const target = new URL(request.url ?? '');

      if (target.hostname !== '127.0.0.1') {
        response.writeHead(403).end('This test proxy forwards to 127.0.0.1 only.');

        return;
      }

      this.forwarded.push(`${request.method} ${target.href}`);

      const upstream = httpRequest(
        { host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: request.method, headers: { ...request.headers, via: '1.1 test-proxy' } },
        (upstreamResponse) => {
          response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(response);
        },
      );

      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    });

    this.server.on('connect', (request, clientSocket: Socket, head: Buffer) => {
      const [host, port] = (request.url ?? '').split(':');

      if (host !== '127.0.0.1') {
        clientSocket.end('HTTP/1.1 403 Forbidden\r\n\r\n');

        return;
      }

      this.forwarded.push(`CONNECT ${request.url}`);

      const upstream = connect(Number(port), '127.0.0.1', () => {
        clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(clientSocket);
        clientSocket.pipe(upstream);
      });

      for (const socket of [upstream, clientSocket]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
    });

    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }

    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
