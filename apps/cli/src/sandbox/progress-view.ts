import cliProgress from 'cli-progress';

import type { VmEvent } from '@deskvm/vm-core';

import type { CommandOutput } from './command-output.js';
import type { ImageStepProgress } from './desktop-image.js';

/** Minimum pause between two text progress lines of the same step when stderr is not a terminal, in ms. */
const PLAIN_INTERVAL_MS = 5000;

/**
 * Shows the progress of `deskvm up` and `deskvm image build`: a bar per image step on a terminal, a line every few
 * seconds otherwise, a line per readiness stage, and JSON lines in JSON mode.
 */
export class ProgressView {
  private bar: cliProgress.SingleBar | undefined;
  private barLabel = '';
  private lastPlain = new Map<string, number>();

  constructor(private readonly output: CommandOutput) {}

  /** Shows one step of getting the image. */
  image(update: ImageStepProgress): void {
    const { label, done, total, item } = describe(update);

    this.output.record('image-progress', { step: update.step, ...update.progress });

    if (this.output.json) {
      return;
    }
    if (this.output.interactive && total !== undefined && total > 0) {
      this.showBar(label, done, total, item);
      return;
    }

    const now = performance.now();
    const last = this.lastPlain.get(label);

    if (last === undefined || now - last >= PLAIN_INTERVAL_MS) {
      this.lastPlain.set(label, now);
      const amount = total === undefined ? `${done}` : `${done}/${total}`;
      this.output.progress(`  ${label}: ${amount}${item === undefined ? '' : ` (${item})`}`);
    }
  }

  /** Shows a VM event: readiness stages as lines; state changes only in JSON mode. */
  event(event: VmEvent): void {
    this.output.record(event.type, { ...event });

    if (event.type !== 'stage') {
      return;
    }

    this.stopBar();
    const { colors } = this.output;
    const seconds = (event.elapsedMs / 1000).toFixed(1);

    if (event.status === 'started') {
      // On a terminal the start of a slow stage shows that deskvm waits for it; in a log only the outcome counts.
      if (this.output.interactive) {
        this.output.progress(`  ${colors.dim('…')} ${event.stage}`);
      }
    } else if (event.status === 'passed') {
      this.output.progress(`  ${colors.green('✓')} ${event.stage} (${seconds} s)`);
    } else {
      this.output.progress(`  ${colors.red('✗')} ${event.stage} (${seconds} s)`);
    }
  }

  /** Removes a bar that is still drawn; call before printing anything else. */
  stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private showBar(label: string, done: number, total: number, item: string | undefined): void {
    if (this.bar === undefined || this.barLabel !== label) {
      this.stopBar();
      this.barLabel = label;
      this.bar = new cliProgress.SingleBar(
        { format: `  ${label} [{bar}] {percentage}% {value}/{total} {item}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, done, { item: item ?? '' });
      return;
    }

    this.bar.setTotal(total);
    this.bar.update(done, { item: item ?? '' });
  }
}

function describe(update: ImageStepProgress): { label: string; done: number; total?: number; item?: string } {
  if (update.step === 'rootfs') {
    const progress = update.progress;
    const label = progress.step === undefined ? `rootfs ${progress.phase}` : `rootfs ${progress.phase} ${progress.step}`;

    return { label, done: progress.done, total: progress.total, item: progress.item ?? progress.message };
  }

  const progress = update.progress;

  return {
    label: update.step === 'pull' ? 'pulling the image (bytes)' : 'importing the image (bytes)',
    done: progress.bytesDone,
    total: progress.bytesTotal,
    item: progress.message,
  };
}
