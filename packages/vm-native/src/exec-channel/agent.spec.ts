import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { runExecAgent } from './agent.js';
import { decodeExitCode, encodeFrame, FrameDecoder, FrameType, type Frame } from './frame.js';
import { decodeHello, encodeJson } from './messages.js';

/** Starts an agent on in-memory streams; it runs real processes on this host. */
function startAgent(): { input: PassThrough; frames: Frame[]; diagnostics: string[]; exited: Promise<number>; nextFrame: (type: number) => Promise<Frame> } {
  const input = new PassThrough();
  const output = new PassThrough();
  const diagnosticsStream = new PassThrough();
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  const diagnostics: string[] = [];
  let onExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    onExit = resolve;
  });

  output.on('data', (chunk: Buffer) => frames.push(...decoder.push(chunk)));
  diagnosticsStream.on('data', (chunk: Buffer) => diagnostics.push(chunk.toString('utf8')));
  runExecAgent({ input, output, diagnostics: diagnosticsStream, exit: onExit });

  const nextFrame = async (type: number): Promise<Frame> => {
    for (;;) {
      const found = frames.find((frame) => frame.type === type);

      if (found !== undefined) {
        return found;
      }

      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  return { input, frames, diagnostics, exited, nextFrame };
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('exec agent', () => {
  it('sends its hello frame first', async () => {
    const agent = startAgent();
    const hello = decodeHello((await agent.nextFrame(FrameType.hello)).payload);

    expect(agent.frames[0]?.type).toBe(FrameType.hello);
    expect(hello.protocol).toBe(1);
    expect(hello.pid).toBe(process.pid);

    agent.input.end();
    expect(await agent.exited).toBe(0);
  });

  it('runs a command and reports its exit code', async () => {
    const agent = startAgent();

    agent.input.write(encodeFrame(FrameType.start, 5, encodeJson({ argv: ['sh', '-c', 'printf hi; exit 4'], env: {}, stdin: false })));

    const exit = await agent.nextFrame(FrameType.exit);
    const stdout = await agent.nextFrame(FrameType.stdout);

    expect(exit.commandId).toBe(5);
    expect(decodeExitCode(exit.payload)).toBe(4);
    expect(stdout.payload.toString('utf8')).toBe('hi');

    agent.input.end();
    await agent.exited;
  });

  it('kills its commands when the input ends', async () => {
    const agent = startAgent();

    agent.input.write(encodeFrame(FrameType.start, 1, encodeJson({ argv: ['sh', '-c', 'echo $$; exec sleep 600'], env: {}, stdin: false })));

    const pid = Number((await agent.nextFrame(FrameType.stdout)).payload.toString('utf8'));

    agent.input.end();

    expect(await agent.exited).toBe(0);

    // The agent sends nothing after its input ended, so the test waits for the reaped process instead of a frame.
    for (let attempt = 0; attempt < 100 && processExists(pid); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(processExists(pid)).toBe(false);
  });

  it('exits on an oversized frame', async () => {
    const agent = startAgent();

    agent.input.write(Buffer.from('7fffffff' + '01' + '00000001', 'hex'));

    expect(await agent.exited).toBe(2);
    expect(agent.diagnostics.join('')).toContain('more than the limit');
  });

  it('exits on an unknown frame type', async () => {
    const agent = startAgent();

    agent.input.write(encodeFrame(0x7e, 1));

    expect(await agent.exited).toBe(2);
    expect(agent.diagnostics.join('')).toContain('unknown type 126');
  });

  it('rejects a start frame without argv', async () => {
    const agent = startAgent();

    agent.input.write(encodeFrame(FrameType.start, 1, Buffer.from('{"env":{}}')));

    expect(await agent.exited).toBe(2);
    expect(agent.diagnostics.join('')).toContain('no argv array');
  });
});
