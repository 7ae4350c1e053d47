import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { NativeError } from './errors.js';

/** The engine's default socket on Linux. */
export const DEFAULT_ENGINE_ADDRESS = 'unix:///var/run/docker.sock';

/** The socket of the engine that `scripts/docker-engine.sh` starts on machines without systemd. */
export const DESKVM_ENGINE_ADDRESS = 'unix:///run/deskvm/docker.sock';

/**
 * Returns the engine addresses to try, in order: `DOCKER_HOST` alone when it is set and not empty, else the default
 * socket and then deskvm's own socket.
 *
 * @param env - the environment to read. Default `process.env`.
 */
export function engineAddresses(env: NodeJS.ProcessEnv = process.env): string[] {
  const dockerHost = env['DOCKER_HOST']?.trim();

  if (dockerHost !== undefined && dockerHost !== '') {
    return [dockerHost];
  }

  return [DEFAULT_ENGINE_ADDRESS, DESKVM_ENGINE_ADDRESS];
}

/**
 * Turns an engine address into dockerode options.
 *
 * - `unix:///path`: the socket at that path.
 * - `tcp://host:port`: plain HTTP, or HTTPS when `DOCKER_TLS_VERIFY` is set to a non-empty value other than `0`.
 *   HTTPS reads `ca.pem`, `cert.pem` and `key.pem` from `DOCKER_CERT_PATH` (default `~/.docker`) and verifies the
 *   engine's certificate against that CA.
 *
 * Every key that dockerode would otherwise fill from `process.env` is set, so only `address` and `env` count.
 * Raises `NATIVE_ERR_ENGINE_ADDRESS` for other schemes (`npipe`, `ssh`, `fd`), a malformed value or a missing TLS file.
 *
 * @param address - a `DOCKER_HOST` value
 * @param env - the environment for the TLS variables. Default `process.env`.
 */
export async function engineConnectionOptions(
  address: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Dockerode.DockerOptions> {
  const unset = { host: undefined, port: undefined, socketPath: undefined, ca: undefined, cert: undefined, key: undefined };

  if (address.startsWith('unix://')) {
    const socketPath = address.slice('unix://'.length);

    if (!socketPath.startsWith('/')) {
      invalidAddress(address, 'a unix address needs an absolute socket path, such as unix:///var/run/docker.sock');
    }

    return { ...unset, socketPath, protocol: 'http' };
  }

  if (!address.startsWith('tcp://')) {
    const scheme = /^([a-z0-9+.-]+):\/\//i.exec(address)?.[1];

    invalidAddress(
      address,
      scheme === undefined
        ? 'it needs a scheme, such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375'
        : `the scheme "${scheme}" is not supported on Linux; use unix:// or tcp://`,
    );
  }

  const { hostname, port } = parseTcpAddress(address);
  const tls = env['DOCKER_TLS_VERIFY'];

  if (tls === undefined || tls === '' || tls === '0') {
    return { ...unset, host: hostname, port, protocol: 'http' };
  }

  const certPath = env['DOCKER_CERT_PATH'] || join(homedir(), '.docker');
  const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((name) => readTlsFile(certPath, name)));

  return { ...unset, host: hostname, port, protocol: 'https', ca, cert, key };
}

function parseTcpAddress(address: string): { hostname: string; port: number } {
  let url: URL;

  try {
    url = new URL(address);
  } catch (error) {
    invalidAddress(address, 'it is not a valid URL', error);
  }

  if (url.port === '' || (url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.username !== '') {
    invalidAddress(address, 'a tcp address is tcp://<host>:<port> with nothing else, such as tcp://127.0.0.1:2375');
  }

  // URL keeps the brackets of an IPv6 literal, which http.request does not accept in `hostname`.
  return { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) };
}

async function readTlsFile(folder: string, name: string): Promise<Buffer> {
  const path = join(folder, name);

  try {
    return await readFile(path);
  } catch (error) {
    throw new NativeError(
      'NATIVE_ERR_ENGINE_ADDRESS',
      `Could not read the Docker TLS file ${path}: ${(error as Error).message}. DOCKER_TLS_VERIFY is set, so ` +
        'DOCKER_CERT_PATH must name a folder with ca.pem, cert.pem and key.pem; unset DOCKER_TLS_VERIFY for plain HTTP.',
      { cause: error },
    );
  }
}

function invalidAddress(address: string, reason: string, cause?: unknown): never {
  throw new NativeError('NATIVE_ERR_ENGINE_ADDRESS', `Invalid Docker engine address ${JSON.stringify(address)}: ${reason}.`, {
    cause,
  });
}
