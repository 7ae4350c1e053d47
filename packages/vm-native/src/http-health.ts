import { request } from 'node:http';

/**
 * Sends `GET http://127.0.0.1:<port><path>` and resolves with the status code; the body is read and dropped. Raises
 * an error naming the URL and the transport's message (such as ECONNREFUSED) or the abort.
 */
export function httpGetStatus(port: number, path: string, signal: AbortSignal): Promise<number> {
  const url = `http://127.0.0.1:${port}${path}`;

  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => reject(new Error(`GET ${url} failed: ${error.message}`, { cause: error }));
    const outgoing = request({ host: '127.0.0.1', port, path, method: 'GET', signal, agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', fail);
    });

    outgoing.once('error', fail);
    outgoing.end();
  });
}
