import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { engineMessage, NativeError } from './errors.js';

/** Progress of an image pull or import. */
export interface ImageProgress {
  /** The operation that reports. */
  phase: 'pull' | 'import';
  /** Bytes done so far: layer bytes downloaded for a pull, tarball bytes sent for an import. */
  bytesDone: number;
  /** Total bytes when known: the sum of the layer sizes seen so far for a pull, the tarball size for an import. */
  bytesTotal?: number;
  /** The engine's latest status line, such as `Pulling fs layer`. */
  message?: string;
}

/** One line of the engine's JSON progress stream. */
interface ProgressLine {
  id?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

/** Options of the image transfers. */
interface TransferOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImageProgress) => void;
}

/** Pulls `reference`, summing the layers' progress. Raises `NATIVE_ERR_IMAGE` naming the reference. */
export async function pullImage(docker: Dockerode, reference: string, options: TransferOptions): Promise<void> {
  const layers = new Map<string, { current: number; total: number }>();
  const failure = (error: unknown): NativeError =>
    new NativeError('NATIVE_ERR_IMAGE', `Could not pull the image ${reference}: ${engineMessage(error)}.`, { cause: error });

  let stream: Readable;

  try {
    stream = (await docker.pull(reference, { abortSignal: options.signal })) as Readable;
  } catch (error) {
    throw failure(error);
  }

  await followProgress(docker, stream, options.signal, failure, (line) => {
    if (line.id !== undefined && line.progressDetail?.total !== undefined && line.status === 'Downloading') {
      layers.set(line.id, { current: line.progressDetail.current ?? 0, total: line.progressDetail.total });
    }

    let bytesDone = 0;
    let bytesTotal = 0;

    for (const layer of layers.values()) {
      bytesDone += layer.current;
      bytesTotal += layer.total;
    }

    options.onProgress?.({ phase: 'pull', bytesDone, bytesTotal: layers.size === 0 ? undefined : bytesTotal, message: line.status });
  });
}

/**
 * Imports the tarball at `tarPath` as `reference` with Dockerfile `changes`. Raises `NATIVE_ERR_IMAGE` naming the file
 * and the reference.
 */
export async function importImage(
  docker: Dockerode,
  tarPath: string,
  reference: string,
  options: TransferOptions & { changes?: readonly string[] },
): Promise<void> {
  const { repository, tag } = splitReference(reference);
  const failure = (error: unknown): NativeError =>
    new NativeError('NATIVE_ERR_IMAGE', `Could not import ${tarPath} as the image ${reference}: ${engineMessage(error)}.`, {
      cause: error,
    });

  let bytesTotal: number;

  try {
    bytesTotal = (await stat(tarPath)).size;
  } catch (error) {
    throw failure(error);
  }

  const file = createReadStream(tarPath);
  let bytesDone = 0;

  file.on('data', (chunk) => {
    bytesDone += chunk.length;
    options.onProgress?.({ phase: 'import', bytesDone, bytesTotal });
  });

  let stream: Readable;

  try {
    stream = (await docker.importImage(file, {
      repo: repository,
      tag,
      changes: [...(options.changes ?? [])],
      abortSignal: options.signal,
    })) as Readable;
  } catch (error) {
    file.destroy();

    throw failure(error);
  }

  await followProgress(docker, stream, options.signal, failure, (line) => {
    options.onProgress?.({ phase: 'import', bytesDone, bytesTotal, message: line.status });
  });
}

/**
 * Splits `repository:tag` at the tag's colon, which is the last colon after the last slash (a registry host may have
 * a port). Raises `NATIVE_ERR_INVALID_ARGUMENT` for digests and empty parts.
 */
export function splitReference(reference: string): { repository: string; tag: string } {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');

  if (reference.includes('@') || /\s/.test(reference) || reference === '') {
    invalidReference(reference);
  }

  if (colon <= slash) {
    return { repository: reference, tag: 'latest' };
  }

  const repository = reference.slice(0, colon);
  const tag = reference.slice(colon + 1);

  if (repository === '' || tag === '') {
    invalidReference(reference);
  }

  return { repository, tag };
}

function invalidReference(reference: string): never {
  throw new NativeError(
    'NATIVE_ERR_INVALID_ARGUMENT',
    `Invalid image reference ${JSON.stringify(reference)}: it must be repository[:tag] without spaces or a digest.`,
  );
}

/** Reads the JSON progress stream to its end. A line with `error` fails the transfer, as `docker` does. */
async function followProgress(
  docker: Dockerode,
  stream: Readable,
  signal: AbortSignal | undefined,
  failure: (error: unknown) => NativeError,
  onLine: (line: ProgressLine) => void,
): Promise<void> {
  let engineError: string | undefined;
  const onAbort = (): void => {
    stream.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  };

  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error === null ? resolve() : reject(error)),
        (line: ProgressLine) => {
          if (line.error !== undefined) {
            engineError = line.errorDetail?.message ?? line.error;
          }

          onLine(line);
        },
      );
    });
  } catch (error) {
    throw failure(error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }

  if (signal?.aborted) {
    throw failure(signal.reason);
  }

  if (engineError !== undefined) {
    throw failure(new Error(engineError));
  }
}
