import { homedir } from 'node:os';
import { join } from 'node:path';
import { VmError } from '../errors.js';
import { dataDirectory } from './data-directory.js';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

const onLinux = process.platform === 'linux' ? it : it.skip;

function caughtError(action: () => unknown): VmError {
  let caught: unknown;

  try {
    action();
  } catch (error) {
    caught = error;
  }

  expect(caught).toBeInstanceOf(VmError);

  return caught as VmError;
}

describe('dataDirectory', () => {
  // env-paths reads XDG_DATA_HOME from process.env itself, so the Linux cases set it there and restore it.
  let savedXdgDataHome: string | undefined;

  beforeEach(() => {
    savedXdgDataHome = process.env.XDG_DATA_HOME;
  });

  afterEach(() => {
    if (savedXdgDataHome === undefined) {
      delete process.env.XDG_DATA_HOME;
    } else {
      process.env.XDG_DATA_HOME = savedXdgDataHome;
    }
  });

  it('returns an absolute DESKVM_DATA_DIR as is', () => {
    expect(dataDirectory({ DESKVM_DATA_DIR: '/srv/deskvm data' })).toBe('/srv/deskvm data');
  });

  onLinux('uses XDG_DATA_HOME on Linux', () => {
    process.env.XDG_DATA_HOME = '/tmp/vm-core-xdg-data';

    expect(dataDirectory({})).toBe('/tmp/vm-core-xdg-data/deskvm');
  });

  onLinux('defaults to ~/.local/share on Linux', () => {
    delete process.env.XDG_DATA_HOME;

    expect(dataDirectory({})).toBe(join(homedir(), '.local', 'share', 'deskvm'));
  });

  onLinux('treats an empty DESKVM_DATA_DIR as unset', () => {
    process.env.XDG_DATA_HOME = '/tmp/vm-core-xdg-data';

    expect(dataDirectory({ DESKVM_DATA_DIR: '' })).toBe('/tmp/vm-core-xdg-data/deskvm');
  });

  onLinux('rejects a relative DESKVM_DATA_DIR', () => {
    process.env.XDG_DATA_HOME = '/tmp/vm-core-xdg-data';

    for (const value of ['data', './data', ' ', '~/deskvm']) {
      const error = caughtError(() => dataDirectory({ DESKVM_DATA_DIR: value }));

      expect(error.code).toBe('VM_ERR_INVALID_ARGUMENT');
      expect(error.message).toContain(`DESKVM_DATA_DIR ${JSON.stringify(value)}`);
      expect(error.message).toContain('absolute path');
      expect(error.message).toContain('/tmp/vm-core-xdg-data/deskvm');
    }
  });
});
