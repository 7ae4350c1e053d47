import { fstatSync } from 'node:fs';
import { PipelineError } from './errors.js';

/**
 * Checks that `fd` is an open socket in this process, as the PipeWire remote from the portal's `OpenPipeWireRemote`
 * is. Without this check, a closed descriptor fails at spawn with EBADF, and a pipe or file handed to pipewiresrc
 * fails after about 30 s with a caps negotiation error that names neither the descriptor nor the fix.
 *
 * @throws PipelineError `PIPELINE_ERR_INVALID_DESCRIPTION` naming `source.fd` when it is closed or not a socket
 */
export function checkPipeWireFd(fd: number): void {
  let isSocket: boolean;

  try {
    isSocket = fstatSync(fd).isSocket();
  } catch (error) {
    throw new PipelineError(
      'PIPELINE_ERR_INVALID_DESCRIPTION',
      `Invalid source.fd ${fd}: it is not an open file descriptor in this process ` +
        `(${(error as NodeJS.ErrnoException).code ?? String(error)}). Pass the descriptor that the portal's ` +
        'OpenPipeWireRemote returned, and keep it open until the run has exited.',
      { cause: error },
    );
  }

  if (!isSocket) {
    throw new PipelineError(
      'PIPELINE_ERR_INVALID_DESCRIPTION',
      `Invalid source.fd ${fd}: it is open but not a socket, so it cannot be a PipeWire remote. Pass the descriptor ` +
        "that the portal's OpenPipeWireRemote returned.",
    );
  }
}
