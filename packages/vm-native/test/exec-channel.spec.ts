import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunResult } from '@deskvm/vm-core';
import { ExecChannel, execInContainer, isNativeError, type ExecOptions } from '../src/index.js';
import { agentContainer, removeAgentContainer, TEST_AGENT_ARGV, type AgentContainer } from './support/agent-container.js';
import { HOSTILE_ARGUMENTS, vmRejection } from './support/test-inputs.js';

// 'é' is 2 bytes and '🙂' 4, so 64 KiB frames and pipe reads split characters at their edges.
const MULTIBYTE_SCRIPT = "process.stdout.write('aé🙂'.repeat(50000)); process.stderr.write('ü'.repeat(70000))";

/** Commands run through both paths; each result must be the same. */
const EQUIVALENCE_CASES: readonly [string, string[], ExecOptions][] = [
  ['true', ['true'], {}],
  ['exit code 7', ['sh', '-c', 'exit 7'], {}],
  ['both streams', ['sh', '-c', 'echo out; echo err >&2; echo more'], {}],
  ['env', ['sh', '-c', 'printf %s "$DESKVM_VALUE|$HOME|$LANG"'], { env: { DESKVM_VALUE: 'a b $c' } }],
  ['default cwd', ['pwd'], {}],
  ['cwd', ['pwd'], { cwd: '/usr/share' }],
  ['stdin text', ['cat'], { stdin: 'from stdin\nline 2 ü' }],
  ['stdin bytes', ['od', '-An', '-tx1'], { stdin: new Uint8Array([0, 255, 10, 13, 128]) }],
  ['closed stdin', ['cat'], {}],
  ['hostile argv', ['printf', '%s\\n', ...HOSTILE_ARGUMENTS], {}],
  ['multibyte output', ['node', '-e', MULTIBYTE_SCRIPT], {}],
  ['maxCollectBytes', ['node', '-e', MULTIBYTE_SCRIPT], { maxCollectBytes: 1001 }],
  ['stream mode', ['sh', '-c', 'printf streamed; printf e >&2'], { output: 'stream' }],
  ['killed by a signal', ['sh', '-c', 'kill -9 $$'], {}],
  ['terminated by a signal', ['sh', '-c', 'kill -TERM $$'], {}],
  ['large stdin', ['wc', '-c'], { stdin: 'x'.repeat(300_000) }],
];

interface Observed {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  streamedStdout: string;
  streamedStderr: string;
}

async function observe(run: (options: ExecOptions) => Promise<RunResult>, options: ExecOptions): Promise<Observed> {
  const stdoutChunks: Buffer[] = [];
  const stderrChunks: Buffer[] = [];
  const result = await run({
    ...options,
    onStdout: (chunk) => stdoutChunks.push(Buffer.from(chunk)),
    onStderr: (chunk) => stderrChunks.push(Buffer.from(chunk)),
  });

  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
    streamedStdout: Buffer.concat(stdoutChunks).toString('utf8'),
    streamedStderr: Buffer.concat(stderrChunks).toString('utf8'),
  };
}

describe('exec channel', () => {
  let subject: AgentContainer;
  let channel: ExecChannel;

  const dockerExec = (argv: readonly string[], options?: ExecOptions): Promise<RunResult> =>
    execInContainer(subject.container, subject.engine.docker, argv, options);
  const processExists = async (pid: string): Promise<boolean> => (await dockerExec(['test', '-e', `/proc/${pid}`])).exitCode === 0;
  const agentPids = async (): Promise<string[]> => {
    const result = await dockerExec(['sh', '-c', "grep -l 'exec-agen[t]' /proc/[0-9]*/cmdline || true"]);

    return result.stdout.split('\n').filter((line) => line !== '').map((line) => line.split('/')[2] ?? '');
  };

  beforeAll(async () => {
    subject = await agentContainer('channel');
    channel = new ExecChannel({ container: subject.container, docker: subject.engine.docker, argv: TEST_AGENT_ARGV });
  }, 120_000);

  afterAll(async () => {
    await channel?.close();
    await removeAgentContainer(subject);
  });

  it('runs a command with both streams', async () => {
    const result = await channel.run(['sh', '-c', 'echo out; echo err >&2; exit 3']);

    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('err\n');
    expect(result.command).toEqual({ kind: 'argv', argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
  }, 30_000);

  it.each(EQUIVALENCE_CASES)('matches docker exec: %s', async (_label, argv, options) => {
    const throughDocker = await observe((merged) => dockerExec(argv, merged), options);
    const throughChannel = await observe((merged) => channel.run(argv, merged), options);

    expect(throughChannel).toEqual(throughDocker);
  }, 60_000);

  it('passes hostile arguments without a shell', async () => {
    const result = await channel.run(['printf', '%s\\n', ...HOSTILE_ARGUMENTS]);
    const pwned = await channel.run(['test', '-e', '/tmp/pwned']);

    expect(result.stdout).toBe(HOSTILE_ARGUMENTS.map((argument) => `${argument}\n`).join(''));
    expect(pwned.exitCode).toBe(1);
  }, 30_000);

  it('reports a missing executable like docker exec', async () => {
    const result = await channel.run(['deskvm-no-such-program', 'x']);

    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('"deskvm-no-such-program": executable file not found');
  }, 30_000);

  it('reports a file that cannot execute', async () => {
    const result = await channel.run(['/etc/passwd']);

    expect(result.exitCode).toBe(126);
    expect(result.stderr).toContain('"/etc/passwd": permission denied');
  }, 30_000);

  it('reports a missing working directory', async () => {
    const result = await channel.run(['pwd'], { cwd: '/deskvm-no-such-folder' });

    expect(result.exitCode).toBe(126);
    expect(result.stderr).toContain('chdir to cwd ("/deskvm-no-such-folder") failed');
  }, 30_000);

  it('runs commands concurrently', async () => {
    const indexes = Array.from({ length: 25 }, (_, index) => index);
    const results = await Promise.all(
      indexes.map((index) => channel.run(['sh', '-c', `sleep 0.$((${index} % 3)); printf ${index}; exit $((${index} % 5))`])),
    );

    expect(results.map((result) => result.stdout)).toEqual(indexes.map(String));
    expect(results.map((result) => result.exitCode)).toEqual(indexes.map((index) => index % 5));
  }, 30_000);

  it('kills a timed-out command and its children', async () => {
    const error = await vmRejection(
      channel.run(['sh', '-c', 'sleep 600 & echo $! > /tmp/child; echo $$ > /tmp/parent; echo started >&2; wait'], { timeoutMs: 1000 }),
    );
    const parent = (await channel.run(['cat', '/tmp/parent'])).stdout.trim();
    const child = (await channel.run(['cat', '/tmp/child'])).stdout.trim();

    expect(error.code).toBe('VM_ERR_COMMAND_TIMED_OUT');
    expect(error.message).toContain('timed out after 1000 ms');
    expect(error.diagnostics['stderr']).toBe('started\n');
    expect(parent).toMatch(/^\d+$/);
    expect(child).toMatch(/^\d+$/);
    expect(await processExists(parent)).toBe(false);
    expect(await processExists(child)).toBe(false);
  }, 30_000);

  it('kills an aborted command and its children', async () => {
    const controller = new AbortController();
    const running = vmRejection(channel.run(['sh', '-c', 'sleep 600 & echo $! > /tmp/aborted-child; wait'], { signal: controller.signal }));

    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort(new Error('stop now'));

    const error = await running;
    const child = (await channel.run(['cat', '/tmp/aborted-child'])).stdout.trim();

    expect(error.code).toBe('VM_ERR_COMMAND_ABORTED');
    expect(error.message).toContain('stop now');
    expect(child).toMatch(/^\d+$/);
    expect(await processExists(child)).toBe(false);
  }, 30_000);

  it('rejects an already aborted signal', async () => {
    const error = await vmRejection(channel.run(['true'], { signal: AbortSignal.abort() }));

    expect(error.code).toBe('VM_ERR_COMMAND_ABORTED');
  }, 30_000);

  it('rejects argv above the frame limit', async () => {
    const outcome = await channel.run(['printf', 'x'.repeat(2 * 1024 * 1024)]).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(isNativeError(outcome, 'NATIVE_ERR_INVALID_ARGUMENT')).toBe(true);
    expect((await channel.run(['true'])).exitCode).toBe(0);
  }, 30_000);

  it('fails in-flight commands when the agent dies, then recovers', async () => {
    const bystander = vmRejection(channel.run(['sleep', '30']));
    // The agent is the parent of every command, so the command kills its own agent.
    const killer = vmRejection(channel.run(['sh', '-c', 'sleep 0.3; kill -9 $PPID; sleep 30']));

    expect((await killer).code).toBe('VM_ERR_COMMAND_NO_EXIT_STATUS');
    expect((await bystander).code).toBe('VM_ERR_COMMAND_NO_EXIT_STATUS');

    const next = await channel.run(['printf', 'again']);

    expect(next.stdout).toBe('again');
  }, 30_000);

  it('ends the agent and its commands on close', async () => {
    await channel.run(['true']);

    const running = vmRejection(channel.run(['sh', '-c', 'echo $$ > /tmp/closed-pid; sleep 600']));

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await agentPids()).toHaveLength(1);

    await channel.close();

    const pid = (await dockerExec(['cat', '/tmp/closed-pid'])).stdout.trim();

    expect((await running).code).toBe('VM_ERR_COMMAND_NO_EXIT_STATUS');
    expect(await processExists(pid)).toBe(false);
    expect(await agentPids()).toEqual([]);
    expect((await channel.run(['printf', 'reopened'])).stdout).toBe('reopened');
  }, 30_000);

  it('recovers after the container restarts', async () => {
    await channel.run(['true']);
    await subject.container.restart({ t: 0 });

    const result = await channel.run(['printf', 'restarted']);

    expect(result.stdout).toBe('restarted');
  }, 60_000);

  it('reports a stopped container as not started', async () => {
    await subject.container.stop({ t: 0 });

    const error = await vmRejection(channel.run(['true']));

    await subject.container.start();

    expect(error.code).toBe('VM_ERR_COMMAND_NOT_STARTED');
  }, 60_000);

  it('raises NATIVE_ERR_EXEC for an agent that does not start', async () => {
    const broken = new ExecChannel({ container: subject.container, docker: subject.engine.docker, argv: ['node', '/tmp/deskvm-missing.mjs'] });
    const outcome = await broken.run(['true']).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(isNativeError(outcome, 'NATIVE_ERR_EXEC')).toBe(true);
    expect((outcome as Error).message).toContain('did not start');
    expect((outcome as Error).message).toContain('deskvm-missing.mjs');
  }, 30_000);
});
