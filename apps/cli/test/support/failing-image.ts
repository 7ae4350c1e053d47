import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { execa, type Result } from 'execa';

import { dockerEngineAddress } from '@deskvm/testing';

/**
 * A registry address where nothing listens (the discard port on 127.0.0.1). Test images are tagged below it. If such
 * an image is missing, the engine's pull then fails on this machine instead of reaching a public registry.
 */
export const LOCAL_ONLY_REGISTRY = '127.0.0.1:9';

/** The line that the failing image's `node` prints to stderr before it exits with status 3. */
export const FAILING_IMAGE_MESSAGE = 'boom: the desktop failed to start';

/**
 * Imports, under `reference`, a small image whose `node` prints {@link FAILING_IMAGE_MESSAGE} and exits 3, so the
 * desktop container exits right after it starts. It has the user agent (uid 1000) that `deskvm up` runs the desktop
 * as, and busybox for a shell.
 */
export async function importFailingImage(reference: string): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'deskvm-failing-image-'));
  try {
    for (const folder of ['tree/bin', 'tree/etc', 'tree/usr/bin']) {
      mkdirSync(join(root, folder), { recursive: true });
    }
    copyFileSync('/bin/busybox', join(root, 'tree/bin/busybox'));
    for (const applet of ['sh', 'echo', 'sleep', 'true']) {
      symlinkSync('busybox', join(root, 'tree/bin', applet));
    }
    writeFileSync(join(root, 'tree/etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nagent:x:1000:1000:agent:/tmp:/bin/sh\n');
    writeFileSync(join(root, 'tree/etc/group'), 'root:x:0:\nagent:x:1000:\n');
    writeFileSync(join(root, 'tree/usr/bin/node'), `#!/bin/sh\necho "${FAILING_IMAGE_MESSAGE}" >&2\nexit 3\n`, { mode: 0o755 });

    const archive = join(root, 'image.tar');
    await execa('tar', ['-C', join(root, 'tree'), '-cf', archive, '.']);
    await removeImage(reference);
    await docker(['import', archive, reference]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Removes an image from the engine; does nothing when it is missing. */
export async function removeImage(reference: string): Promise<void> {
  await docker(['image', 'rm', '--force', reference], false);
}

/**
 * Runs the docker command against the engine the tests use (`scripts/docker-engine.sh` finds or starts it). Raises
 * on a non-zero exit unless `reject` is false.
 */
export async function docker(args: readonly string[], reject = true): Promise<Result> {
  return execa('docker', ['--host', await dockerEngineAddress(), ...args], { reject, stdin: 'ignore' });
}
