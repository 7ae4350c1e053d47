import type { AptSource } from './apt-sources.js';
import { RootfsError } from './errors.js';

/** The distribution, suite and mirror a rootfs is bootstrapped from. */
export interface RootfsBase {
  /** The distribution family. */
  distribution: 'debian' | 'ubuntu';
  /** The suite (codename) to bootstrap, such as `bookworm` or `noble`. */
  suite: string;
  /** The archive root URI passed to debootstrap and written to the rootfs's apt sources. */
  mirror: string;
  /** Archive components to enable, such as `main` or `main universe`. */
  components: string[];
}

/** Options of `chooseRootfsBase`; each overrides what the apt configuration gives. */
export interface ChooseRootfsBaseOptions {
  /** The archive root URI (http or https). The CLI's `--mirror`. */
  mirror?: string;
  /** The suite to bootstrap, such as `bookworm`. The CLI's `--suite`. */
  suite?: string;
}

/** Ubuntu 24.04. */
export const UBUNTU_SUITE = 'noble';

/** Debian 12, whose nodejs package is Node 18. */
export const DEBIAN_SUITE = 'bookworm';

const UBUNTU_SUITES = new Set(['bionic', 'focal', 'jammy', 'lunar', 'mantic', 'noble', 'oracular', 'plucky', 'questing']);
const DEBIAN_SUITES = new Set([
  'buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'sid', 'oldoldstable', 'oldstable', 'stable', 'testing', 'unstable',
]);

/**
 * Chooses the base of the desktop rootfs. It is Ubuntu 24.04 (noble) when a `deb` source with suite noble or a
 * noble-* pocket is configured. Otherwise it is Debian 12 (bookworm) from a `deb` source whose suite is a Debian
 * suite name or one of its pockets (not -security, which is another archive). `options.mirror` and `options.suite`
 * override both. Raises `ROOTFS_ERR_NO_MIRROR` naming the files read and the `mirror` option when there is no mirror,
 * and `ROOTFS_ERR_INVALID_ARGUMENT` for a mirror that is not an http or https URL or a malformed suite.
 */
export function chooseRootfsBase(sources: readonly AptSource[], options: ChooseRootfsBaseOptions = {}): RootfsBase {
  checkOptions(options);

  const binarySources = sources.filter((source) => source.types.includes('deb') && source.uris.some(isHttpUrl));
  const suite = options.suite ?? (findSource(binarySources, new Set(), UBUNTU_SUITE) === undefined ? DEBIAN_SUITE : UBUNTU_SUITE);
  const distribution = UBUNTU_SUITES.has(suite) ? 'ubuntu' : 'debian';
  const source = findSource(binarySources, distribution === 'ubuntu' ? UBUNTU_SUITES : DEBIAN_SUITES, suite);
  const mirror = options.mirror ?? source?.uris.find(isHttpUrl);

  if (mirror === undefined) {
    const files = [...new Set(sources.map((entry) => entry.file))];
    const read = files.length === 0 ? 'no file had an http or https source' : `sources found in ${files.join(', ')}`;

    throw new RootfsError(
      'ROOTFS_ERR_NO_MIRROR',
      `No ${distribution === 'ubuntu' ? 'Ubuntu' : 'Debian'} package mirror is configured for suite ${suite} in ` +
        `/etc/apt/sources.list or /etc/apt/sources.list.d/*.list and *.sources (${read}). ` +
        'Pass one with the mirror option (CLI: --mirror URL), such as the archive root URI of a Debian mirror.',
    );
  }

  // openbox and several GStreamer plugins are in Ubuntu's universe component.
  const defaultComponents = distribution === 'ubuntu' ? ['main', 'universe'] : ['main'];
  const components = source === undefined || source.components.length === 0 ? defaultComponents : [...source.components];

  return { distribution, suite, mirror: mirror.replace(/\/+$/, ''), components };
}

/**
 * Returns the best source for `suite`: one with exactly that suite, else one with a pocket of it (`suite-updates`),
 * else, when `suite` belongs to `family`, a source of any suite of that family (a Debian trixie mirror also serves
 * bookworm). Security archives are skipped, because they hold only the -security pocket.
 */
function findSource(sources: readonly AptSource[], family: ReadonlySet<string>, suite: string): AptSource | undefined {
  const candidates = sources.filter((source) => !source.suites.some((name) => name.endsWith('-security')));
  const exact = candidates.find((source) => source.suites.includes(suite));
  const pocket = candidates.find((source) => source.suites.some((name) => name.startsWith(`${suite}-`)));

  if (exact !== undefined || pocket !== undefined || !family.has(suite)) {
    return exact ?? pocket;
  }

  return candidates.find((source) => source.suites.some((name) => family.has(name.split('-')[0] ?? '')));
}

function checkOptions(options: ChooseRootfsBaseOptions): void {
  if (options.mirror !== undefined && !isHttpUrl(options.mirror)) {
    throw new RootfsError(
      'ROOTFS_ERR_INVALID_ARGUMENT',
      `The mirror ${JSON.stringify(options.mirror)} is not an http:// or https:// URL. Pass the archive root URI of a mirror.`,
    );
  }

  if (options.suite !== undefined && !/^[a-z][a-z0-9.-]{1,63}$/.test(options.suite)) {
    throw new RootfsError(
      'ROOTFS_ERR_INVALID_ARGUMENT',
      `The suite ${JSON.stringify(options.suite)} is not a suite name. Pass a codename such as ${DEBIAN_SUITE} or ${UBUNTU_SUITE}.`,
    );
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);

    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
