import { isAbsolute } from 'node:path';
import envPaths from 'env-paths';
import { VmError } from '../errors.js';

/**
 * Returns the per-OS data directory of deskvm, from env-paths: `~/Library/Application Support/deskvm` on macOS,
 * `%LOCALAPPDATA%\deskvm\Data` on Windows, `$XDG_DATA_HOME/deskvm` (default `~/.local/share/deskvm`) on Linux.
 * The `DESKVM_DATA_DIR` environment variable replaces it, for tests and portable installs. An empty value counts as
 * unset, as the XDG Base Directory specification rules for its own variables.
 *
 * Raises `VM_ERR_INVALID_ARGUMENT` when `DESKVM_DATA_DIR` is a relative path, because the data would then move with
 * the current directory.
 *
 * @param env - supplies `DESKVM_DATA_DIR` only. env-paths 3 reads `XDG_DATA_HOME` and `LOCALAPPDATA` from
 *   `process.env` and the home directory from `os.homedir()` when it is first imported.
 */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.DESKVM_DATA_DIR;

  if (override === undefined || override === '') {
    return defaultDataDirectory();
  }

  if (!isAbsolute(override)) {
    throw new VmError(
      'VM_ERR_INVALID_ARGUMENT',
      `Invalid DESKVM_DATA_DIR ${JSON.stringify(override)}: it is a relative path. Set it to an absolute path, or ` +
        `unset it to use ${defaultDataDirectory()}.`,
    );
  }

  return override;
}

function defaultDataDirectory(): string {
  return envPaths('deskvm', { suffix: '' }).data;
}
