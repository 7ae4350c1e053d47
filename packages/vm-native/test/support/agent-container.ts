import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { build } from 'esbuild';
import { dockerEngineAddress } from '@deskvm/testing';
import { connectEngine, type DockerEngine } from '../../src/index.js';

/** Where the tests copy the agent bundle in their containers. */
export const TEST_AGENT_PATH = '/tmp/exec-agent.mjs';

/** The agent's command line in the test containers. */
export const TEST_AGENT_ARGV = ['node', TEST_AGENT_PATH] as const;

/** A container of the desktop image with the agent bundle inside, on network `none`. */
export interface AgentContainer {
  engine: DockerEngine;
  container: Dockerode.Container;
  name: string;
  image: string;
}

const AGENT_ENTRY = fileURLToPath(new URL('../../src/exec-channel/agent-main.ts', import.meta.url));

/**
 * Bundles the agent for Node 18 as apps/cli's bundle script does, and returns the folder that contains
 * `exec-agent.mjs`. The caller removes the folder.
 */
export async function bundleAgent(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 't-execagent-bundle-'));

  await build({
    entryPoints: [AGENT_ENTRY],
    outfile: join(folder, 'exec-agent.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'esm',
    logLevel: 'warning',
  });

  return folder;
}

/** Returns the newest `deskvm/desktop` image, which has Node.js 18. Raises when the engine has none. */
export async function desktopImage(engine: DockerEngine): Promise<string> {
  const images = await engine.docker.listImages({ filters: JSON.stringify({ reference: ['deskvm/desktop'] }) });
  const newest = images.sort((a, b) => b.Created - a.Created)[0]?.RepoTags?.[0];

  if (newest === undefined) {
    throw new Error('No deskvm/desktop image in the engine. Build it first: node apps/cli/dist/main.js image build');
  }

  return newest;
}

/**
 * Starts `t-execagent-<pid>-<label>` from the desktop image with `sleep infinity`, network `none`, and copies the agent
 * bundle to `TEST_AGENT_PATH`. Remove it with `removeAgentContainer`.
 */
export async function agentContainer(label: string): Promise<AgentContainer> {
  const engine = await connectEngine({ dockerHost: await dockerEngineAddress() });
  const image = await desktopImage(engine);
  const name = `t-execagent-${process.pid}-${label}`;
  const folder = await bundleAgent();

  try {
    await engine.docker.getContainer(name).remove({ force: true }).catch(() => undefined);

    const container = await engine.docker.createContainer({
      name,
      Image: image,
      Cmd: ['sleep', 'infinity'],
      HostConfig: { NetworkMode: 'none', Init: true, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'] },
    });

    await container.start();

    const { stdout: archive } = await promisify(execFile)('tar', ['-c', '-C', folder, '--owner=0', '--group=0', 'exec-agent.mjs'], {
      encoding: 'buffer',
    });

    await container.putArchive(archive, { path: '/tmp' });

    return { engine, container, name, image };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Removes the container whatever its state. */
export async function removeAgentContainer(subject: AgentContainer | undefined): Promise<void> {
  await subject?.container.remove({ force: true, v: true }).catch(() => undefined);
}
