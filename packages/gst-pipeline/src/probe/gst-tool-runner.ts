import { execa } from 'execa';

/** The GStreamer command line tools that probing runs. */
export type GstTool = 'gst-inspect-1.0' | 'gst-launch-1.0';

/** The outcome of one tool run. */
export interface GstToolResult {
  /** The exit code; undefined when the process was killed or could not start. */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Whether the run was killed at its timeout. */
  timedOut: boolean;
}

/** Options of one tool run. */
export interface GstToolRunOptions {
  /** Variables added to the tool's environment. */
  env: Record<string, string>;
  /** How long the tool may run before it is killed, in ms. */
  timeoutMs: number;
}

/**
 * Runs a GStreamer tool with an argv array and returns its output. Probing takes one as a parameter, so that tests can
 * return recorded output of machines that have hardware encoders.
 */
export type GstToolRunner = (tool: GstTool, args: readonly string[], options: GstToolRunOptions) => Promise<GstToolResult>;

/** Runs the real tools from PATH with execa (no shell), colours off, killed with SIGKILL at the timeout. */
export const execaToolRunner: GstToolRunner = async (tool, args, options) => {
  const result = await execa(tool, args, {
    env: { GST_INSPECT_NO_COLORS: '1', GST_DEBUG_NO_COLOR: '1', ...options.env },
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    reject: false,
    stdin: 'ignore',
    maxBuffer: 4 * 1024 * 1024,
  });

  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.failed && result.exitCode === undefined && !result.timedOut ? `${result.stderr}\n${result.shortMessage}` : result.stderr,
    timedOut: result.timedOut,
  };
};
