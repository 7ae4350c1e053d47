import Dockerode from 'dockerode';
import { silentLogger, type Logger } from '@deskvm/vm-core';
import { DockerEngine, pingEngine } from './docker-engine.js';
import { engineConnectionOptions, engineAddresses } from './engine-address.js';
import { engineMessage, engineStatusCode, isNativeError, NativeError } from './errors.js';

/** Default time limit of the ping to each engine address: 5000 ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** Options of `connectEngine`. */
export interface ConnectEngineOptions {
  /** The one address to try, as a `DOCKER_HOST` value. Default: `engineAddresses(env)`. */
  dockerHost?: string;
  /** The environment for `DOCKER_HOST` and the TLS variables. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Time limit of the ping to each address in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Aborting stops trying and raises the signal's reason. */
  signal?: AbortSignal;
  /** Receives each address tried and its outcome. Default silent. */
  logger?: Logger;
}

/** The failure of one address. */
interface Attempt {
  address: string;
  reason: string;
  permission: boolean;
}

const HOW_TO_START =
  'Start an engine with `sudo systemctl start docker`, or run `bash scripts/docker-engine.sh` in a deskvm checkout, ' +
  'or set DOCKER_HOST to the address of a running engine.';

/**
 * Pings each engine address in turn and resolves with the first engine that responds.
 *
 * Raises `NATIVE_ERR_ENGINE_PERMISSION` when no engine responded and a socket rejected this user (EACCES). Raises
 * `NATIVE_ERR_ENGINE_UNREACHABLE` when none responded, listing every address with its error (ENOENT, ECONNREFUSED,
 * timed out) and how to start an engine. Raises `NATIVE_ERR_ENGINE_ADDRESS` for an invalid `DOCKER_HOST`.
 */
export async function connectEngine(options: ConnectEngineOptions = {}): Promise<DockerEngine> {
  const env = options.env ?? process.env;
  const addresses = options.dockerHost === undefined ? engineAddresses(env) : [options.dockerHost];
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const logger = options.logger ?? silentLogger;
  const attempts: Attempt[] = [];

  for (const address of addresses) {
    options.signal?.throwIfAborted();

    const engine = new DockerEngine(address, await createClient(address, env));
    // NOTE: not AbortSignal.timeout(), because Node.js 20.20 may garbage-collect a timeout signal that only
    // AbortSignal.any() refers to, and then the ping to a server that never responds hangs forever. The timer
    // keeps a strong reference to its controller. This can go once the fix of https://github.com/nodejs/node/pull/57867
    // is in every supported Node.js.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const signal = AbortSignal.any([deadline.signal, ...(options.signal ? [options.signal] : [])]);

    try {
      await pingEngine(engine.docker, signal);
      logger.debug('the Docker engine responded', { address });

      return engine;
    } catch (error) {
      options.signal?.throwIfAborted();

      const attempt = describeFailure(address, error, signal.aborted, timeoutMs);

      logger.debug('the Docker engine did not respond', { address, reason: attempt.reason });
      attempts.push(attempt);
    } finally {
      clearTimeout(timer);
    }
  }

  throw unreachableError(attempts);
}

async function createClient(address: string, env: NodeJS.ProcessEnv): Promise<Dockerode> {
  const connection = await engineConnectionOptions(address, env);

  try {
    return new Dockerode(connection);
  } catch (error) {
    // NOTE: docker-modem 5 reads DOCKER_HOST and the TLS files of process.env in its constructor even when every
    // option is given, so an invalid process environment fails here whatever `address` is.
    if (isNativeError(error)) {
      throw error;
    }

    throw new NativeError(
      'NATIVE_ERR_ENGINE_ADDRESS',
      `Could not create a Docker client for ${address}: ${engineMessage(error)}. Check DOCKER_HOST, DOCKER_TLS_VERIFY ` +
        'and DOCKER_CERT_PATH in the environment.',
      { cause: error },
    );
  }
}

function describeFailure(address: string, error: unknown, timedOut: boolean, timeoutMs: number): Attempt {
  const code = (error as NodeJS.ErrnoException).code;
  const statusCode = engineStatusCode(error);

  if (timedOut) {
    return { address, reason: `timed out after ${timeoutMs} ms`, permission: false };
  }

  if (code === 'ENOENT') {
    return { address, reason: 'ENOENT: the socket does not exist', permission: false };
  }

  if (code === 'ECONNREFUSED') {
    return { address, reason: 'ECONNREFUSED: nothing listens there', permission: false };
  }

  if (code === 'EACCES') {
    return { address, reason: 'EACCES: this user may not open the socket', permission: true };
  }

  if (statusCode !== undefined) {
    return { address, reason: `the server returned HTTP ${statusCode}: ${engineMessage(error)}`, permission: false };
  }

  return { address, reason: `${code ?? 'error'}: ${engineMessage(error)}`, permission: false };
}

function unreachableError(attempts: readonly Attempt[]): NativeError {
  const tried = attempts.map((attempt) => `${attempt.address} (${attempt.reason})`).join('; ');
  const diagnostics = { addressesTried: tried };
  const denied = attempts.find((attempt) => attempt.permission);

  if (denied !== undefined) {
    return new NativeError(
      'NATIVE_ERR_ENGINE_PERMISSION',
      `Permission denied on the Docker engine socket ${denied.address}. Tried: ${tried}. Add your user to the docker ` +
        'group (`sudo usermod -aG docker "$USER"`), then log in again.',
      { diagnostics },
    );
  }

  return new NativeError('NATIVE_ERR_ENGINE_UNREACHABLE', `No Docker engine responded. Tried: ${tried}. ${HOW_TO_START}`, {
    diagnostics,
  });
}
