import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProcessInspector } from '@deskvm/vm-core';
import { dockerEngineAddress } from '@deskvm/testing';
import { connectEngine, createNativeVm, isNativeError, type DockerEngine, type NativeVm } from '../src/index.js';
import { bundleAgent, desktopImage, TEST_AGENT_ARGV, TEST_AGENT_PATH } from './support/agent-container.js';

const DIST_INDEX = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('native VM with an exec agent', () => {
  let engine: DockerEngine;
  let lockDirectory: string;
  let plain: NativeVm;
  let withAgent: NativeVm;
  const name = `t-execagent-${process.pid}-vm`;

  const agentPids = async (): Promise<string[]> => {
    const result = await plain.exec(['sh', '-c', "grep -l 'exec-agen[t]' /proc/[0-9]*/cmdline || true"]);

    return result.stdout.split('\n').filter((line) => line !== '');
  };

  beforeAll(async () => {
    engine = await connectEngine({ dockerHost: await dockerEngineAddress() });
    lockDirectory = await mkdtemp(join(tmpdir(), 't-execagent-locks-'));

    const image = await desktopImage(engine);
    const options = {
      name,
      engine,
      container: { spec: { project: 't-execagent', image, gpu: 'none' as const, shmSizeMiB: 16 }, network: 'none' as const, command: ['sleep', 'infinity'] },
      image: { reference: image, ensure: () => Promise.reject(new Error('The desktop image should exist already.')) },
      bridge: { containerPort: 8080 },
      lockDirectory,
      inspector: await createProcessInspector(),
    };

    plain = createNativeVm(options);
    withAgent = createNativeVm({ ...options, execAgent: { argv: TEST_AGENT_ARGV } });
    await plain.start();

    const folder = await bundleAgent();
    const { stdout: archive } = await promisify(execFile)('tar', ['-c', '-C', folder, '--owner=0', '--group=0', 'exec-agent.mjs'], {
      encoding: 'buffer',
    });

    await engine.docker.getContainer(`deskvm-${name}`).putArchive(archive, { path: '/tmp' });
    await rm(folder, { recursive: true, force: true });
  }, 120_000);

  afterAll(async () => {
    await withAgent?.close();
    await engine?.docker.getContainer(`deskvm-${name}`).remove({ force: true, v: true }).catch(() => undefined);
    await rm(lockDirectory, { recursive: true, force: true });
  });

  it('runs exec through the agent', async () => {
    const result = await withAgent.exec(['sh', '-c', 'cat /proc/$PPID/cmdline | tr "\\0" " "']);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${TEST_AGENT_ARGV.join(' ')} `);
  }, 30_000);

  it('uses a Docker exec for another user', async () => {
    const result = await withAgent.exec(['sh', '-c', 'id -u; cat /proc/$PPID/cmdline'], { user: 'root' });

    expect(result.stdout.split('\n')[0]).toBe('0');
    expect(result.stdout).not.toContain(TEST_AGENT_PATH);
  }, 30_000);

  it('gives the same results on both paths', async () => {
    const argv = ['sh', '-c', 'printf "%s|%s|%s" "$X" "$(pwd)" "$(cat)"; echo err >&2; exit 5'];
    const options = { env: { X: 'a "b" $c' }, cwd: '/tmp', stdin: 'ü\n' };
    const throughAgent = await withAgent.exec(argv, options);
    const throughDocker = await plain.exec(argv, options);

    expect({ ...throughAgent, durationMs: 0 }).toEqual({ ...throughDocker, durationMs: 0 });
  }, 30_000);

  it('ends the agent on close', async () => {
    await withAgent.exec(['true']);
    expect(await agentPids()).toHaveLength(1);

    await withAgent.close();

    expect(await agentPids()).toEqual([]);
  }, 30_000);

  it('rejects an empty agent argv', () => {
    let raised: unknown;

    try {
      createNativeVm({
        name: 'unused',
        engine,
        container: { spec: { project: 'unused', image: 'unused', gpu: 'none' }, network: 'none' },
        image: { reference: 'unused', ensure: () => Promise.resolve() },
        bridge: { containerPort: 1 },
        lockDirectory,
        inspector: { startTime: () => Promise.resolve(undefined) } as never,
        execAgent: { argv: [] },
      });
    } catch (error) {
      raised = error;
    }

    expect(isNativeError(raised, 'NATIVE_ERR_INVALID_ARGUMENT')).toBe(true);
  });

  it('lets an idle channel not keep Node.js alive', async () => {
    if (!existsSync(DIST_INDEX)) {
      throw new Error(`${DIST_INDEX} is missing. Build it first: npx nx run @deskvm/vm-native:build`);
    }

    // A separate Node.js process runs one command and never calls close, so it must exit on its own.
    const script = [
      `import { connectEngine, ExecChannel } from ${JSON.stringify(DIST_INDEX)};`,
      `const engine = await connectEngine({ dockerHost: ${JSON.stringify(engine.address)} });`,
      `const channel = new ExecChannel({ container: engine.docker.getContainer(${JSON.stringify(`deskvm-${name}`)}), docker: engine.docker, argv: ${JSON.stringify(TEST_AGENT_ARGV)} });`,
      "const result = await channel.run(['printf', 'from-child']);",
      'process.stdout.write(result.stdout);',
    ].join('\n');
    const { stdout } = await promisify(execFile)('node', ['--input-type=module', '-e', script], { timeout: 20_000 });

    expect(stdout).toBe('from-child');

    // The engine closes the agent's stdin when the connection closes, and the agent then exits.
    let pids = await agentPids();

    for (let attempt = 0; attempt < 50 && pids.length > 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      pids = await agentPids();
    }

    expect(pids).toEqual([]);
  }, 60_000);

  it('keeps Node.js alive during close', async () => {
    // Without a ref on the idle socket, Node.js exits with code 13 while close is awaited at the top level.
    const script = [
      `import { connectEngine, ExecChannel } from ${JSON.stringify(DIST_INDEX)};`,
      `const engine = await connectEngine({ dockerHost: ${JSON.stringify(engine.address)} });`,
      `const channel = new ExecChannel({ container: engine.docker.getContainer(${JSON.stringify(`deskvm-${name}`)}), docker: engine.docker, argv: ${JSON.stringify(TEST_AGENT_ARGV)} });`,
      "await channel.run(['true']);",
      'await channel.close();',
      "process.stdout.write('closed');",
    ].join('\n');
    const { stdout } = await promisify(execFile)('node', ['--input-type=module', '-e', script], { timeout: 20_000 });

    expect(stdout).toBe('closed');
    expect(await agentPids()).toEqual([]);
  }, 60_000);
});
