import type Dockerode from 'dockerode';
import { engineMessage, engineStatusCode, NativeError } from './errors.js';

/** Returns the container's inspect output, or undefined when it does not exist. Raises `NATIVE_ERR_CONTAINER`. */
export async function inspectContainer(
  container: Dockerode.Container,
  signal?: AbortSignal,
): Promise<Dockerode.ContainerInspectInfo | undefined> {
  try {
    return await container.inspect({ abortSignal: signal });
  } catch (error) {
    if (engineStatusCode(error) === 404) {
      return undefined;
    }

    throw containerFailure('inspect', container, error);
  }
}

/**
 * Sends a signal to the container's main process. Does nothing when the container does not run (HTTP 409) or does
 * not exist (HTTP 404). Raises `NATIVE_ERR_CONTAINER` otherwise.
 */
export async function signalContainer(container: Dockerode.Container, signalName: 'SIGTERM' | 'SIGKILL', abortSignal: AbortSignal): Promise<void> {
  try {
    await container.kill({ signal: signalName, abortSignal });
  } catch (error) {
    const status = engineStatusCode(error);

    if (status === 404 || status === 409) {
      return;
    }

    throw containerFailure(`send ${signalName} to`, container, error);
  }
}

/** Returns a `NATIVE_ERR_CONTAINER` error for a failed engine call on the container. */
export function containerFailure(action: string, container: Dockerode.Container, error: unknown): NativeError {
  return new NativeError('NATIVE_ERR_CONTAINER', `Could not ${action} the container ${container.id}: ${engineMessage(error)}.`, {
    cause: error,
  });
}

/** Returns a one-line state of the container for diagnostics, such as `exited (3) at 2026-01-02T03:04:05Z`. */
export function describeContainerState(info: Dockerode.ContainerInspectInfo): string {
  const state = info.State;
  const parts = [state.Status];

  if (state.Status === 'exited' || state.Status === 'dead') {
    parts.push(`(${state.ExitCode})`, `at ${state.FinishedAt}`);
  }

  if (state.OOMKilled) {
    parts.push('killed for lack of memory');
  }

  if (state.Error !== '') {
    parts.push(`error: ${state.Error}`);
  }

  if (state.Health !== undefined) {
    parts.push(`health ${state.Health.Status}`);
  }

  return parts.join(' ');
}
