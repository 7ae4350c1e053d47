import { request } from 'node:http';

/**
 * Sends `GET http://127.0.0.1:<port><path>` and resolves with the status code. Raises the transport error, or a
 * timeout error once `signal` aborts. The body is read and dropped.
 */
export function httpGetStatus(port: number, path: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method: 'GET', signal, agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });

    outgoing.once('error', reject);
    outgoing.end();
  });
}
