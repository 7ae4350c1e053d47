import envPaths from 'env-paths';

/**
 * Returns the per-OS data directory of deskvm, from env-paths: `~/Library/Application Support/deskvm` on macOS,
 * `%LOCALAPPDATA%\deskvm\Data` on Windows, `$XDG_DATA_HOME/deskvm` (default `~/.local/share/deskvm`) on Linux.
 * The `DESKVM_DATA_DIR` environment variable replaces it, for tests and portable installs.
 */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.DESKVM_DATA_DIR;

  if (override !== undefined && override !== '') {
    return override;
  }

  return envPaths('deskvm', { suffix: '' }).data;
}
