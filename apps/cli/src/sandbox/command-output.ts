import pc from 'picocolors';

/**
 * The output streams of a sandbox command. In JSON mode stdout carries only JSON lines (one object per line, with
 * `time` and `type`). Results go to stdout in text mode only. Notes (what deskvm decided, such as replacing a
 * container) go to stderr in both modes, and progress lines in text mode only. Colour follows picocolors: off when
 * NO_COLOR is set, when FORCE_COLOR=0, or when stdout is not a terminal.
 */
export interface CommandOutput {
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** Whether stderr is a terminal, so progress may redraw one line. */
  readonly interactive: boolean;
  /** Writes a result line to stdout in text mode. */
  result(line: string): void;
  /** Writes a note to stderr, in both modes. */
  note(line: string): void;
  /** Writes a progress line to stderr in text mode. */
  progress(line: string): void;
  /** Writes one JSON line to stdout in JSON mode. */
  record(type: string, fields: Record<string, unknown>): void;
  /** Colour helpers that respect NO_COLOR. */
  readonly colors: typeof pc;
}

/** Creates the output of one command run. */
export function createCommandOutput(json: boolean): CommandOutput {
  return {
    json,
    interactive: process.stderr.isTTY === true && !json,
    result: (line) => {
      if (!json) {
        process.stdout.write(`${line}\n`);
      }
    },
    note: (line) => {
      process.stderr.write(`${line}\n`);
    },
    progress: (line) => {
      if (!json) {
        process.stderr.write(`${line}\n`);
      }
    },
    record: (type, fields) => {
      if (json) {
        process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), type, ...fields })}\n`);
      }
    },
    colors: pc,
  };
}
