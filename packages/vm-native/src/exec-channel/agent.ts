/**
 * The exec agent: reads frames from `input`, runs each command as its own process group, and writes output and exit
 * frames to `output`. It runs inside the container on Node.js 18 with only built-in modules (see agent-main.ts).
 */
import { Buffer } from 'node:buffer';
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { encodeExitCode, encodeFrame, FrameDecoder, FrameError, FrameType, MAX_DATA_PAYLOAD_BYTES, PROTOCOL_VERSION, type Frame } from './frame.js';
import { decodeStartRequest, encodeJson, type StartRequest } from './messages.js';

/** The streams and exit hook of an agent. */
export interface AgentIo {
  /** Frames from the host. Its end means the host went away. */
  input: Readable;
  /** Frames to the host. */
  output: Writable;
  /** Diagnostics for people, never frames. */
  diagnostics: Writable;
  /** Called once when the agent is done: 0 after the input ended, 2 after a protocol error. */
  exit(code: number): void;
}

/** Exit code for a command whose executable was not found, as `docker exec` reports it. */
const EXIT_NOT_FOUND = 127;

/** Exit code for a command that could not be executed (permission denied, missing working directory). */
const EXIT_CANNOT_EXECUTE = 126;

/** Starts an agent on `io`; it runs until the input ends or a frame breaks the protocol. */
export function runExecAgent(io: AgentIo): void {
  const decoder = new FrameDecoder();
  const running = new Map<number, ChildProcess>();
  let done = false;
  let draining = false;

  const send = (type: number, commandId: number, payload?: Uint8Array): void => {
    if (done || io.output.write(encodeFrame(type, commandId, payload)) || draining) {
      return;
    }

    // The host reads slower than the commands write, so their output waits until the pipe drains.
    draining = true;
    running.forEach((child) => pauseOutput(child, true));
    io.output.once('drain', () => {
      draining = false;
      running.forEach((child) => pauseOutput(child, false));
    });
  };

  const finish = (code: number): void => {
    if (done) {
      return;
    }

    done = true;
    running.forEach((child) => killGroup(child));
    io.exit(code);
  };

  const startCommand = (commandId: number, request: StartRequest): void => {
    if (running.has(commandId)) {
      send(FrameType.error, commandId, Buffer.from(`The command id ${commandId} is already in use.`, 'utf8'));
      return;
    }

    const cwdFailure = checkCwd(request.cwd);

    if (cwdFailure !== undefined) {
      send(FrameType.stderr, commandId, Buffer.from(cwdFailure, 'utf8'));
      send(FrameType.exit, commandId, encodeExitCode(EXIT_CANNOT_EXECUTE));
      return;
    }

    const [file, ...args] = request.argv as [string, ...string[]];
    const child = spawn(file, args, {
      cwd: request.cwd,
      env: { ...process.env, ...request.env },
      detached: true,
      stdio: [request.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let ended = false;

    running.set(commandId, child);
    // A command that exits without reading its stdin makes later writes fail with EPIPE, which is not an agent error.
    child.stdin?.on('error', () => undefined);
    child.stdout?.on('data', (chunk: Buffer) => sendData(send, FrameType.stdout, commandId, chunk));
    child.stderr?.on('data', (chunk: Buffer) => sendData(send, FrameType.stderr, commandId, chunk));

    child.once('error', (error: NodeJS.ErrnoException) => {
      // 'error' without a pid means spawn failed. With a pid it means a signal could not be sent, which 'close' follows.
      if (child.pid !== undefined || ended) {
        return;
      }

      ended = true;
      running.delete(commandId);
      sendSpawnFailure(send, commandId, file, error);
    });

    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) {
        return;
      }

      ended = true;
      running.delete(commandId);
      send(FrameType.exit, commandId, encodeExitCode(exitCodeOf(code, signal)));
    });
  };

  const handleFrame = (frame: Frame): void => {
    const child = running.get(frame.commandId);

    switch (frame.type) {
      case FrameType.start:
        startCommand(frame.commandId, decodeStartRequest(frame.payload));
        break;
      case FrameType.stdin:
        child?.stdin?.write(frame.payload);
        break;
      case FrameType.stdinEnd:
        child?.stdin?.end();
        break;
      case FrameType.kill:
        if (child !== undefined) {
          killGroup(child);
        }
        break;
      default:
        throw new FrameError('FRAME_ERR_INVALID', `Received a frame of unknown type ${frame.type} for command ${frame.commandId}.`);
    }
  };

  io.input.on('data', (chunk: Buffer) => {
    try {
      decoder.push(chunk).forEach(handleFrame);
    } catch (error) {
      io.diagnostics.write(`deskvm exec agent: ${(error as Error).message} Exiting.\n`);
      finish(2);
    }
  });
  io.input.once('end', () => finish(0));
  io.input.once('error', () => finish(0));
  // The host closed its end of the pipe, so nothing can be reported any more.
  io.output.once('error', () => finish(0));

  send(FrameType.hello, 0, encodeJson({ protocol: PROTOCOL_VERSION, pid: process.pid, uid: process.getuid?.() ?? -1, node: process.version }));
}

function sendData(send: (type: number, commandId: number, payload: Uint8Array) => void, type: number, commandId: number, chunk: Buffer): void {
  for (let offset = 0; offset < chunk.length; offset += MAX_DATA_PAYLOAD_BYTES) {
    send(type, commandId, chunk.subarray(offset, offset + MAX_DATA_PAYLOAD_BYTES));
  }
}

/** Reports a failed spawn as `docker exec` does: a message on stderr and exit code 127 or 126. */
function sendSpawnFailure(
  send: (type: number, commandId: number, payload?: Uint8Array) => void,
  commandId: number,
  file: string,
  error: NodeJS.ErrnoException,
): void {
  if (error.code === 'ENOENT') {
    send(FrameType.stderr, commandId, Buffer.from(`exec: ${JSON.stringify(file)}: executable file not found in $PATH\n`, 'utf8'));
    send(FrameType.exit, commandId, encodeExitCode(EXIT_NOT_FOUND));
  } else if (error.code === 'EACCES') {
    send(FrameType.stderr, commandId, Buffer.from(`exec: ${JSON.stringify(file)}: permission denied\n`, 'utf8'));
    send(FrameType.exit, commandId, encodeExitCode(EXIT_CANNOT_EXECUTE));
  } else {
    send(FrameType.error, commandId, Buffer.from(`Could not start ${JSON.stringify(file)}: ${error.message}`, 'utf8'));
  }
}

/** Returns a message when `cwd` is not a directory, because spawn would report that as ENOENT of the executable. */
function checkCwd(cwd: string | undefined): string | undefined {
  if (cwd === undefined) {
    return undefined;
  }

  try {
    return statSync(cwd).isDirectory() ? undefined : `chdir to cwd (${JSON.stringify(cwd)}) failed: not a directory\n`;
  } catch (error) {
    return `chdir to cwd (${JSON.stringify(cwd)}) failed: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`;
  }
}

/** Returns the exit code, or 128 + the signal number for a command ended by a signal, as the Docker exec API reports. */
function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) {
    return code;
  }

  return 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) {
    return;
  }

  try {
    // The negative pid addresses the whole group, because the command was spawned as a group leader (detached).
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
  }
}

function pauseOutput(child: ChildProcess, pause: boolean): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (pause) {
      stream?.pause();
    } else {
      stream?.resume();
    }
  }
}
