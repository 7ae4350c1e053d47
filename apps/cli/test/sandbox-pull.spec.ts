import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';

import { freeLoopbackPort } from '../src/sandbox/desktop-container.js';
import { docker, FAILING_IMAGE_MESSAGE, importFailingImage, LOCAL_ONLY_REGISTRY, removeImage } from './support/failing-image.js';
import { jsonLines, sandboxUnderTest } from './support/sandbox-cli.js';

// `deskvm up --image REF` pulls an image that the engine lacks, from a real registry: Debian's docker-registry
// (the CNCF distribution registry) on 127.0.0.1. The engine treats registries on 127.0.0.0/8 as plain HTTP ones.

const SOURCE_IMAGE = `${LOCAL_ONLY_REGISTRY}/deskvm-test/pull-source:1`;
const folder = mkdtempSync(join(tmpdir(), 'deskvm-registry-'));
const sandbox = sandboxUnderTest('pull');
let registry: ResultPromise | undefined;
let reference: string;

async function waitForRegistry(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => undefined);
    if (response?.status === 200) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not start on 127.0.0.1:${port} within 20 s.`);
}

beforeAll(async () => {
  const port = await freeLoopbackPort();
  const config = join(folder, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'storage:', '  filesystem:', `    rootdirectory: ${join(folder, 'data')}`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'),
  );
  registry = execa('docker-registry', ['serve', config], { reject: false, stdin: 'ignore' });
  await waitForRegistry(port);

  reference = `127.0.0.1:${port}/deskvm-test/pulled:1`;
  await importFailingImage(SOURCE_IMAGE);
  await docker(['tag', SOURCE_IMAGE, reference]);
  await docker(['push', reference]);
  await removeImage(reference);
  await removeImage(SOURCE_IMAGE);
}, 120_000);

afterAll(async () => {
  await sandbox.dispose();
  await removeImage(reference);
  registry?.kill('SIGTERM');
  await registry;
  rmSync(folder, { recursive: true, force: true });
}, 60_000);

describe('deskvm up --image', () => {
  it('pulls an image the engine lacks', async () => {
    const missing = await docker(['image', 'inspect', reference], false);
    const up = await sandbox.run(['up', '--image', reference, '--json']);
    const records = jsonLines(up.stdout);
    const pulls = records.filter((record) => record['type'] === 'image-progress' && record['step'] === 'pull');
    const present = await docker(['image', 'inspect', reference], false);

    expect(missing.exitCode).not.toBe(0);
    expect(pulls.length).toBeGreaterThan(0);
    expect(present.exitCode).toBe(0);
    // The pulled image is the failing one, so the start itself fails at the container stage.
    expect(up.exitCode).toBe(5);
    expect(String(up.stderr)).toContain(FAILING_IMAGE_MESSAGE);
  }, 120_000);

  it('names the reference when the pull fails', async () => {
    const unknown = reference.replace('pulled:1', 'never-pushed:1');
    const up = await sandbox.run(['up', '--image', unknown, '--json']);
    const error = jsonLines(up.stdout).find((record) => record['type'] === 'error');

    expect(up.exitCode).toBe(6);
    expect(String(error?.['message'])).toContain(unknown);
  }, 120_000);
});
