import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { busyboxVm, removeContainer, type BusyboxVm } from './support/busybox-vm.js';
import { HOSTILE_ARGUMENTS, vmRejection } from './support/test-inputs.js';

describe('native VM lifecycle', () => {
  let subject: BusyboxVm;

  beforeAll(async () => {
    // wget exits non-zero until httpd serves the file, so the health check depends on the bridge.
    subject = await busyboxVm('life', (port) => ({
      healthcheck: { test: ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}/health`], intervalMs: 300, timeoutMs: 2000, retries: 3 },
    }));
  }, 120_000);

  afterAll(async () => {
    await removeContainer(subject);
    await rm(subject.lockDirectory, { recursive: true, force: true });
  });

  it('starts with every readiness flag', async () => {
    const running = await subject.vm.start();
    const status = await subject.vm.status();
    const facts = await subject.vm.inspect();

    expect(running.readiness).toEqual({ commands: true, engine: true, desktop: true, bridge: true });
    expect(status).toEqual({ state: 'running', readiness: { commands: true, engine: true, desktop: true, bridge: true } });
    expect(facts?.state).toBe('running');
    expect(facts?.health).toBe('healthy');
    expect(facts?.network).toBe('host');
    expect(facts?.bridgeAddress).toEqual({ host: '127.0.0.1', port: subject.port });
    expect(facts?.environment['DESKVM_GREETING']).toBe('hello');
    expect(facts?.labels['dev.deskvm.vm']).toBe(subject.vm.name);
  }, 120_000);

  it('execs with exit codes and both streams', async () => {
    const ok = await subject.vm.exec(['sh', '-c', 'echo out; echo err >&2']);
    const failed = await subject.vm.exec(['sh', '-c', 'exit 7']);

    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe('out\n');
    expect(ok.stderr).toBe('err\n');
    expect(ok.command).toEqual({ kind: 'argv', argv: ['sh', '-c', 'echo out; echo err >&2'] });
    expect(failed.exitCode).toBe(7);
  }, 30_000);

  it('execs with env, cwd, user and stdin', async () => {
    const env = await subject.vm.exec(['sh', '-c', 'printf %s "$DESKVM_VALUE"'], { env: { DESKVM_VALUE: 'a b $c' } });
    const cwd = await subject.vm.exec(['pwd'], { cwd: '/www' });
    const user = await subject.vm.exec(['id', '-u'], { user: 'agent' });
    const stdin = await subject.vm.exec(['cat'], { stdin: 'from stdin\nline 2 ü' });
    const noStdin = await subject.vm.exec(['cat']);

    expect(env.stdout).toBe('a b $c');
    expect(cwd.stdout).toBe('/www\n');
    expect(user.stdout).toBe('1000\n');
    expect(stdin.stdout).toBe('from stdin\nline 2 ü');
    expect(noStdin.stdout).toBe('');
    expect(noStdin.exitCode).toBe(0);
  }, 30_000);

  it('streams exec output to callbacks', async () => {
    const chunks: string[] = [];
    const result = await subject.vm.exec(['printf', 'streamed'], {
      output: 'stream',
      onStdout: (chunk) => chunks.push(Buffer.from(chunk).toString('utf8')),
    });

    expect(chunks.join('')).toBe('streamed');
    expect(result.stdout).toBe('');
  }, 30_000);

  it('passes hostile arguments literally to exec', async () => {
    const result = await subject.vm.exec(['printf', '%s\\n', ...HOSTILE_ARGUMENTS]);
    const pwned = await subject.vm.exec(['test', '-e', '/tmp/pwned']);

    expect(result.stdout).toBe(HOSTILE_ARGUMENTS.map((argument) => `${argument}\n`).join(''));
    expect(pwned.exitCode).toBe(1);
  }, 30_000);

  it('passes hostile arguments literally to run', async () => {
    const result = await subject.vm.run({ kind: 'argv', argv: ['printf', '%s\\n', ...HOSTILE_ARGUMENTS] });

    expect(result.stdout).toBe(HOSTILE_ARGUMENTS.map((argument) => `${argument}\n`).join(''));
    expect(result.exitCode).toBe(0);
  }, 30_000);

  it('reads logs', async () => {
    await subject.vm.exec(['sh', '-c', 'echo to-the-log > /proc/1/fd/1']);

    const chunks: Buffer[] = [];

    await subject.vm.logs({ tail: 20, onStdout: (chunk) => chunks.push(Buffer.from(chunk)) });

    expect(Buffer.concat(chunks).toString('utf8')).toContain('to-the-log');
  }, 30_000);

  it('follows logs until aborted', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const following = subject.vm.logs({
      follow: true,
      tail: 0,
      signal: controller.signal,
      onStdout: (chunk) => {
        seen.push(Buffer.from(chunk).toString('utf8'));

        if (seen.join('').includes('followed-line')) {
          controller.abort();
        }
      },
    });

    await new Promise((resolve) => setTimeout(resolve, 300));
    await subject.vm.exec(['sh', '-c', 'echo followed-line > /proc/1/fd/1']);
    await following;

    expect(seen.join('')).toContain('followed-line');
    expect(controller.signal.aborted).toBe(true);
  }, 30_000);

  it('kills a timed-out exec and its children', async () => {
    const error = await vmRejection(
      subject.vm.exec(['sh', '-c', 'sleep 600 & echo $! > /tmp/child; echo $$ > /tmp/parent; wait'], { timeoutMs: 1000 }),
    );
    const parent = (await subject.vm.exec(['cat', '/tmp/parent'])).stdout.trim();
    const child = (await subject.vm.exec(['cat', '/tmp/child'])).stdout.trim();
    let alive = await subject.vm.exec(['sh', '-c', 'kill -0 "$1" || kill -0 "$2"', 'sh', parent, child]);

    // The container's init reaps the killed processes; until then they remain as zombies for a moment.
    for (let attempt = 0; attempt < 20 && alive.exitCode === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      alive = await subject.vm.exec(['sh', '-c', 'kill -0 "$1" || kill -0 "$2"', 'sh', parent, child]);
    }

    expect(error.code).toBe('VM_ERR_COMMAND_TIMED_OUT');
    expect(parent).toMatch(/^\d+$/);
    expect(child).toMatch(/^\d+$/);
    expect(alive.exitCode).not.toBe(0);
  }, 30_000);

  it('kills an aborted exec', async () => {
    const controller = new AbortController();
    const running = subject.vm.exec(['sleep', '601'], { signal: controller.signal });

    setTimeout(() => controller.abort(new Error('test abort')), 500);

    const error = await vmRejection(running);
    let listed = await subject.vm.exec(['pidof', 'sleep']);

    for (let attempt = 0; attempt < 20 && listed.exitCode === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await subject.vm.exec(['pidof', 'sleep']);
    }

    expect(error.code).toBe('VM_ERR_COMMAND_ABORTED');
    expect(error.message).toContain('test abort');
    expect(listed.exitCode).toBe(1);
  }, 30_000);

  it('stops and deletes', async () => {
    await subject.vm.stop({ timeoutMs: 10_000 });

    const stopped = await subject.vm.status();
    const exec = await vmRejection(subject.vm.exec(['true']));

    await subject.vm.delete();

    expect(stopped).toEqual({ state: 'stopped', exists: true });
    expect(exec.code).toBe('VM_ERR_COMMAND_NOT_STARTED');
    expect(exec.message).toContain('deskvm up');
    expect(await subject.vm.status()).toEqual({ state: 'stopped', exists: false });
    expect(await subject.vm.inspect()).toBeUndefined();
  }, 60_000);
});
