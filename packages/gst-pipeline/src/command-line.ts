import type { PipelineDescription } from './description.js';
import { renderArgv } from './render-argv.js';

/** Arguments that every POSIX shell passes through unchanged without quotes. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one argument for a POSIX shell: bare when it has only safe characters, otherwise in single quotes with each
 * `'` written as `'\''`. A lone `!` stays bare, because shells treat it as an ordinary word in argument position.
 */
export function quoteShellArgument(argument: string): string {
  if (argument === '!' || SHELL_SAFE.test(argument)) {
    return argument;
  }

  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/**
 * Renders a pipeline description as one gst-launch-1.0 command line for people to read or paste into a POSIX shell.
 * The runner never uses it: it passes `renderArgv` to the process directly.
 *
 * @param gstLaunchPath - the executable at the start of the line; default `'gst-launch-1.0'`
 * @throws PipelineError `PIPELINE_ERR_INVALID_DESCRIPTION` when a value is invalid
 */
export function renderCommandLine(description: PipelineDescription, gstLaunchPath = 'gst-launch-1.0'): string {
  return [gstLaunchPath, ...renderArgv(description)].map(quoteShellArgument).join(' ');
}
