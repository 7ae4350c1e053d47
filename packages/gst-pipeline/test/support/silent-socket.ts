import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A connected Unix socket whose peer never writes, standing in for a PipeWire remote that sends nothing. */
export interface SilentSocket {
  /** The descriptor of the client end in this process. */
  fd: number;
  close(): Promise<void>;
}

/** Opens a Unix socket server in a temporary directory and connects to it. The server never writes. */
export async function openSilentSocket(): Promise<SilentSocket> {
  const directory = mkdtempSync(join(tmpdir(), 'gst-pipeline-socket-'));
  const path = join(directory, 'pipewire-0');
  const accepted: Socket[] = [];
  const server: Server = createServer((socket) => accepted.push(socket));

  await new Promise<void>((resolve) => server.listen(path, resolve));
  const client = createConnection(path);
  await new Promise<void>((resolve) => client.once('connect', resolve));

  // Node exposes no public accessor for a socket's descriptor, but libuv's pipe handle stores it as `fd` on Linux.
  const fd = (client as unknown as { _handle: { fd: number } })._handle.fd;

  return {
    fd,
    close: async () => {
      client.destroy();
      accepted.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
