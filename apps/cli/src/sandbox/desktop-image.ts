import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildDesktopRootfs, chooseRootfsBase, desktopRootfsKey, readAptSources, type RootfsBase, type RootfsProgress } from '@deskvm/rootfs';
import type { Logger } from '@deskvm/vm-core';
import type { DockerEngine, ImageProgress, ImageSource } from '@deskvm/vm-native';

/** Progress of getting the desktop image: the rootfs build, then the import, or a pull. */
export type ImageStepProgress = { step: 'rootfs'; progress: RootfsProgress } | { step: 'pull' | 'import'; progress: ImageProgress };

/** Options of {@link desktopImageSource}. */
export interface DesktopImageOptions {
  /** An image reference to use instead of a local build, pulled from its registry when the engine lacks it. */
  readonly reference?: string;
  /** The package mirror for the rootfs; default the first matching source of the machine's apt configuration. */
  readonly mirror?: string;
  /** The distribution suite, such as bookworm or noble; default chosen from the apt configuration. */
  readonly suite?: string;
  /** Build the rootfs again even when a cached one matches. */
  readonly rebuild?: boolean;
  /** deskvm's data directory; the rootfs tarballs are cached in its `images` folder. */
  readonly dataDirectory: string;
  readonly onProgress: (progress: ImageStepProgress) => void;
  readonly logger?: Logger;
}

/** The local image's repository; the tag is the deskvm version and a hash of the rootfs inputs. */
export const LOCAL_IMAGE_REPOSITORY = 'deskvm/desktop';

/**
 * Returns the source of the desktop image. With `reference`, the engine pulls it when missing. Otherwise the image
 * is built here: tools/rootfs makes (or reuses) the rootfs tarball, and the engine imports it. The tag changes
 * whenever an input of the rootfs changes (base, packages, the bundled bridge), so a changed deskvm builds a new
 * image and an unchanged one reuses the engine's.
 */
export async function desktopImageSource(options: DesktopImageOptions): Promise<ImageSource> {
  const pinned = options.reference;

  if (pinned !== undefined) {
    return {
      reference: pinned,
      ensure: (engine, signal) => engine.pullImage(pinned, { signal, onProgress: (progress) => options.onProgress({ step: 'pull', progress }) }),
    };
  }

  const bundleDirectory = desktopBundleDirectory();
  const base = await rootfsBase(options);
  const key = await desktopRootfsKey({ base, bundleDirectory });
  const reference = `${LOCAL_IMAGE_REPOSITORY}:${cliVersion()}-${key}`;

  return {
    reference,
    ensure: async (engine: DockerEngine, signal: AbortSignal) => {
      const build = await buildDesktopRootfs({
        cacheDirectory: join(options.dataDirectory, 'images'),
        bundleDirectory,
        base,
        rebuild: options.rebuild,
        signal,
        onProgress: (progress) => options.onProgress({ step: 'rootfs', progress }),
        logger: options.logger,
      });

      await engine.importImage(build.tarPath, reference, {
        changes: build.imageChanges,
        signal,
        onProgress: (progress) => options.onProgress({ step: 'import', progress }),
      });
    },
  };
}

/** Returns the folder of the in-sandbox bundle (`deskvm serve` for Node 18), built by the CLI's `bundle` target. */
export function desktopBundleDirectory(): string {
  return fileURLToPath(new URL('../desktop/', import.meta.url));
}

async function rootfsBase(options: DesktopImageOptions): Promise<RootfsBase> {
  return chooseRootfsBase(await readAptSources(), { mirror: options.mirror, suite: options.suite });
}

function cliVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
