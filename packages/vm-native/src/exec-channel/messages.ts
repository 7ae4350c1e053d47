/**
 * The JSON payloads of the exec channel's control frames (`start` and `hello`). Output and stdin never travel as JSON.
 * Shared by the host and the agent, so it imports only `node:buffer`.
 */
import { Buffer } from 'node:buffer';
import { FrameError } from './frame.js';

/** Payload of a `start` frame. */
export interface StartRequest {
  /** The executable and its arguments, passed to `spawn` without a shell. */
  argv: string[];
  /** Variables added to the agent's environment. */
  env: Record<string, string>;
  /** The working directory; undefined means the agent's own (the container's WorkingDir). */
  cwd?: string;
  /** True when `stdin` frames follow; false closes the command's stdin at once. */
  stdin: boolean;
}

/** Payload of the `hello` frame that the agent sends once it reads stdin. */
export interface AgentHello {
  /** The agent's `PROTOCOL_VERSION`. */
  protocol: number;
  /** The agent's pid inside the container. */
  pid: number;
  /** The uid the agent, and so every command, runs as. */
  uid: number;
  /** The agent's Node.js version, such as `v18.20.4`. */
  node: string;
}

/** Encodes a JSON payload. */
export function encodeJson(value: StartRequest | AgentHello): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Decodes and checks the payload of a `start` frame. Raises `FRAME_ERR_INVALID` for anything else. */
export function decodeStartRequest(payload: Buffer): StartRequest {
  const value = parseJson(payload, 'start');
  const argv = value['argv'];
  const env = value['env'];
  const cwd = value['cwd'];

  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((item) => typeof item === 'string')) {
    throw new FrameError('FRAME_ERR_INVALID', 'A start frame has no argv array of strings.');
  }

  if (typeof env !== 'object' || env === null || !Object.values(env).every((item) => typeof item === 'string')) {
    throw new FrameError('FRAME_ERR_INVALID', 'A start frame has no env object of strings.');
  }

  if (cwd !== undefined && typeof cwd !== 'string') {
    throw new FrameError('FRAME_ERR_INVALID', 'A start frame has a cwd that is not a string.');
  }

  return { argv: argv as string[], env: env as Record<string, string>, cwd, stdin: value['stdin'] === true };
}

/** Decodes and checks the payload of a `hello` frame. Raises `FRAME_ERR_INVALID` for anything else. */
export function decodeHello(payload: Buffer): AgentHello {
  const value = parseJson(payload, 'hello');
  const { protocol, pid, uid, node } = value;

  if (typeof protocol !== 'number' || typeof pid !== 'number' || typeof uid !== 'number' || typeof node !== 'string') {
    throw new FrameError('FRAME_ERR_INVALID', `A hello frame lacks protocol, pid, uid or node: ${payload.toString('utf8').slice(0, 200)}`);
  }

  return { protocol, pid, uid, node };
}

function parseJson(payload: Buffer, frameName: string): Record<string, unknown> {
  let value: unknown;

  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new FrameError('FRAME_ERR_INVALID', `A ${frameName} frame is not valid JSON: ${(error as Error).message}`);
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FrameError('FRAME_ERR_INVALID', `A ${frameName} frame is not a JSON object.`);
  }

  return value as Record<string, unknown>;
}
