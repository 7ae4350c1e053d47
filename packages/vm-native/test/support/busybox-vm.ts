import { createServer } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProcessInspector } from '@deskvm/vm-core';
import { busyboxImage, dockerEngineAddress } from '@deskvm/testing';
import { connectEngine, createNativeVm, type DesktopContainerOptions, type DockerEngine, type NativeVm } from '../../src/index.js';

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const { port } = server.address() as { port: number };

  await new Promise((resolve) => server.close(resolve));

  return port;
}

/** A native VM on the busybox test image, host network, with a unique name. */
export interface BusyboxVm {
  vm: NativeVm;
  engine: DockerEngine;
  image: string;
  port: number;
  lockDirectory: string;
}

/**
 * Creates a native VM on the host network whose container runs busybox httpd on 127.0.0.1:<free port>, serving
 * /www/health. `container` returns options that replace the defaults, given that port. The VM's name starts with
 * `nt-` and the pid.
 */
export async function busyboxVm(
  label: string,
  container: (port: number) => Partial<Omit<DesktopContainerOptions, 'spec' | 'network'>> = () => ({}),
  stageTimeouts = {},
): Promise<BusyboxVm> {
  const engine = await connectEngine({ dockerHost: await dockerEngineAddress() });
  const image = await busyboxImage(engine.address);
  const port = await freePort();
  const lockDirectory = await mkdtemp(join(tmpdir(), 'deskvm-native-locks-'));
  const vm = createNativeVm({
    name: `nt-${process.pid}-${label}`,
    engine,
    container: {
      spec: { project: 'native-test', image, gpu: 'none', environment: { DESKVM_GREETING: 'hello' }, shmSizeMiB: 16 },
      network: 'host',
      command: ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www'],
      ...container(port),
    },
    image: {
      reference: image,
      ensure: async () => {
        throw new Error('The busybox image should exist already.');
      },
    },
    bridge: { containerPort: port, healthPath: '/health' },
    lockDirectory,
    inspector: await createProcessInspector(),
    stageTimeouts,
  });

  return { vm, engine, image, port, lockDirectory };
}

/** Removes the VM's container whatever its state. */
export async function removeContainer(subject: BusyboxVm | undefined): Promise<void> {
  if (subject === undefined) {
    return;
  }

  await subject.engine.docker
    .getContainer(`deskvm-${subject.vm.name}`)
    .remove({ force: true, v: true })
    .catch(() => undefined);
}
