import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The static busybox of the `busybox-static` package, which scripts/setup.sh test installs. */
export const BUSYBOX_PATH = '/bin/busybox';

/** The repository of the test images that `busyboxImage` makes. */
export const BUSYBOX_REPOSITORY = 'deskvm-test/busybox';

/** The busybox applets linked in `/bin` of the test image. */
export const BUSYBOX_APPLETS = [
  'cat', 'echo', 'env', 'false', 'httpd', 'id', 'kill', 'ls', 'mkdir', 'pidof', 'printf', 'ps', 'pwd', 'rm', 'sh',
  'sleep', 'test', 'touch', 'true', 'wget',
] as const;

// The workspace root, three levels above this file (tools/testing/src or tools/testing/dist).
const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

let engineAddress: Promise<string> | undefined;
const images = new Map<string, Promise<string>>();

/**
 * Returns the address (a `DOCKER_HOST` value) of the Docker engine that `bash scripts/docker-engine.sh` finds or
 * starts. The script runs once per process; later calls return the same promise.
 */
export function dockerEngineAddress(): Promise<string> {
  engineAddress ??= run('bash', [join(WORKSPACE_ROOT, 'scripts', 'docker-engine.sh')], { cwd: WORKSPACE_ROOT }).then(
    ({ stdout }) => stdout.trim(),
  );

  return engineAddress;
}

/**
 * Imports a tiny image made of the host's static busybox, with the applets of `BUSYBOX_APPLETS` in `/bin`, a user
 * `agent` (uid 1000), `/www/health` for `httpd`, and `/tmp`. The tag is a hash of the content, so the image is imported
 * once per busybox build and kept for later runs. Returns the reference, such as `deskvm-test/busybox:0123456789ab`.
 *
 * @param address - the engine's `DOCKER_HOST` value
 */
export function busyboxImage(address: string): Promise<string> {
  const key = address;
  let image = images.get(key);

  if (image === undefined) {
    image = importBusybox(address);
    images.set(key, image);
  }

  return image;
}

async function importBusybox(address: string): Promise<string> {
  const busybox = await readFile(BUSYBOX_PATH).catch((error: unknown) => {
    throw new Error(`${BUSYBOX_PATH} is missing (${String(error)}). Install busybox-static: apt-get install busybox-static.`);
  });
  const passwd = 'root:x:0:0:root:/root:/bin/sh\nagent:x:1000:1000:agent:/home/agent:/bin/sh\n';
  const group = 'root:x:0:\nagent:x:1000:\n';
  const hash = createHash('sha256').update(busybox).update(BUSYBOX_APPLETS.join(',')).update(passwd).update('layout 1');
  const reference = `${BUSYBOX_REPOSITORY}:${hash.digest('hex').slice(0, 12)}`;
  const docker = (...args: string[]): Promise<{ stdout: string }> => run('docker', ['--host', address, ...args]);

  if (await docker('image', 'inspect', reference).then(() => true, () => false)) {
    return reference;
  }

  const folder = await mkdtemp(join(tmpdir(), 'deskvm-busybox-'));

  try {
    const root = join(folder, 'root');

    for (const path of ['bin', 'etc', 'tmp', 'www', 'root', 'home/agent']) {
      await mkdir(join(root, path), { recursive: true });
    }

    await writeFile(join(root, 'bin', 'busybox'), busybox, { mode: 0o755 });

    for (const applet of BUSYBOX_APPLETS) {
      await symlink('busybox', join(root, 'bin', applet));
    }

    await writeFile(join(root, 'etc', 'passwd'), passwd);
    await writeFile(join(root, 'etc', 'group'), group);
    await writeFile(join(root, 'www', 'health'), 'ok\n');
    // /tmp must be writable by every user, as on any system, and tar stores the mode.
    await chmod(join(root, 'tmp'), 0o1777);

    const tarball = join(folder, 'rootfs.tar');

    await run('tar', ['--create', '--file', tarball, '--directory', root, '--owner=0', '--group=0', '--numeric-owner', '.']);
    await docker(
      'import',
      '--change', 'ENV PATH=/bin',
      '--change', 'CMD ["/bin/sh"]',
      tarball,
      reference,
    );

    return reference;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
