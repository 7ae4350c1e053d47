/** One progress report of a rootfs build. */
export interface RootfsProgress {
  /** The build phase: debootstrap, the desktop packages, copying the bundle, writing the tarball, hashing it. */
  phase: 'bootstrap' | 'packages' | 'bundle' | 'archive' | 'checksum';
  /** The step inside the phase, from debootstrap's `I:` lines or apt's status lines. */
  step?: 'retrieve' | 'validate' | 'extract' | 'unpack' | 'configure' | 'download' | 'install';
  /** Items or bytes done so far, or a percentage when `total` is 100. */
  done: number;
  /** The count that `done` goes up to, when known. */
  total?: number;
  /** The package or file being worked on. */
  item?: string;
  /** A line for people, such as the command being run. */
  message?: string;
}

type DebootstrapStep = 'retrieve' | 'validate' | 'extract' | 'unpack' | 'configure';

const DEBOOTSTRAP_STEPS: Record<string, DebootstrapStep> = {
  Retrieving: 'retrieve',
  Validating: 'validate',
  Extracting: 'extract',
  Unpacking: 'unpack',
  Configuring: 'configure',
};

// Lines such as "I: Unpacking required packages..." announce a group, not a package.
const GROUP_ITEMS = new Set(['required packages', 'the base system', 'base packages', 'Packages', 'InRelease', 'Release']);

/**
 * Turns debootstrap's `I: Retrieving foo 1.2`, `I: Validating foo 1.2`, `I: Extracting foo...`, `I: Unpacking foo...`
 * and `I: Configuring foo...` lines into progress. debootstrap prints no package count, so the extract, unpack and
 * configure steps take the number of packages retrieved as `total`, and the retrieve and validate steps have none.
 */
export class DebootstrapProgressParser {
  private readonly counts = new Map<DebootstrapStep, number>();

  /** Returns the progress of one output line, or undefined for other lines. */
  parse(line: string): RootfsProgress | undefined {
    const match = /^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) (.+?)(?:\.\.\.)?\s*$/.exec(line);

    if (match === null) {
      return undefined;
    }

    const step = DEBOOTSTRAP_STEPS[match[1] as string] as DebootstrapStep;
    const words = (match[2] as string).split(' ');
    const item = step === 'retrieve' || step === 'validate' ? (words[0] as string) : (match[2] as string);

    if (GROUP_ITEMS.has(match[2] as string) || GROUP_ITEMS.has(item)) {
      return undefined;
    }

    const done = (this.counts.get(step) ?? 0) + 1;
    const retrieved = this.counts.get('retrieve');

    this.counts.set(step, done);

    return step === 'retrieve' || step === 'validate' || retrieved === undefined
      ? { phase: 'bootstrap', step, done, item }
      : { phase: 'bootstrap', step, done, total: Math.max(retrieved, done), item };
  }
}

/**
 * Turns one of apt's `APT::Status-Fd` lines into progress: `dlstatus:N:PERCENT:TEXT` (downloads) and
 * `pmstatus:PACKAGE:PERCENT:TEXT` (dpkg). `done` is the percentage and `total` 100. Other lines give undefined.
 */
export function parseAptStatusLine(line: string): RootfsProgress | undefined {
  const match = /^(dlstatus|pmstatus):([^:]*):([0-9.]+):(.*)$/.exec(line.trim());

  if (match === null) {
    return undefined;
  }

  const [, kind, item, percent, message] = match as unknown as [string, string, string, string, string];
  const done = Math.min(100, Math.round(Number(percent) * 10) / 10);

  if (kind === 'dlstatus') {
    return { phase: 'packages', step: 'download', done, total: 100, message };
  }

  const configuring = /^(Configuring|Preparing to configure|Installed)/.test(message);

  return { phase: 'packages', step: configuring ? 'configure' : 'install', done, total: 100, item, message };
}
