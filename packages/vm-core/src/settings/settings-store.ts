import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ZodIssue } from 'zod';
import { VmError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { RESTART_KEYS, settingsSchema, type Settings } from './settings-schema.js';

/** The settings file's name inside the data directory. */
export const SETTINGS_FILE_NAME = 'settings.json';

/** The result of `SettingsStore.update`. */
export interface SettingsUpdate {
  /** The settings after the update, with every key filled. */
  settings: Settings;
  /** The keys whose value changed. */
  changedKeys: Array<keyof Settings>;
  /** True when a changed key takes effect only after the VM restarts. */
  restartRequired: boolean;
}

/** Reads and writes the settings as JSON in the data directory, validated against `settingsSchema`. */
export class SettingsStore {
  /** The settings file. */
  readonly path: string;

  /** @param directory - the data directory; see `dataDirectory` */
  constructor(directory: string) {
    this.path = join(directory, SETTINGS_FILE_NAME);
  }

  /**
   * Returns the settings, with defaults for missing keys and for a missing file. Raises `VM_ERR_INVALID_SETTINGS`
   * naming the key and the allowed values when the file contains an invalid value or an unknown key.
   */
  async load(): Promise<Settings> {
    let text: string;

    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return settingsSchema.parse({});
      }

      throw new VmError('VM_ERR_IO', `Could not read the settings file ${this.path}.`, { cause: error });
    }

    // Windows editors such as Notepad often save UTF-8 with a byte order mark, which JSON.parse rejects.
    if (text.startsWith('\uFEFF')) {
      text = text.slice(1);
    }

    let raw: unknown;

    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new VmError(
        'VM_ERR_INVALID_SETTINGS',
        `The settings file ${this.path} is not valid JSON: ${(error as Error).message}. Fix it or delete it to use defaults.`,
        { cause: error },
      );
    }

    return this.validate(raw, `in ${this.path}`);
  }

  /**
   * Validates `changes` on top of the current settings and writes the result atomically. Nothing is written when a
   * value is invalid. A failed write raises `VM_ERR_IO` and leaves the old file as it was.
   */
  async update(changes: Partial<Settings>): Promise<SettingsUpdate> {
    const current = await this.load();
    const settings = this.validate({ ...current, ...changes }, 'in the requested change');
    const changedKeys = (Object.keys(settings) as Array<keyof Settings>).filter((key) => settings[key] !== current[key]);

    if (changedKeys.length > 0) {
      await writeFileAtomic(this.path, `${JSON.stringify(settings, null, 2)}\n`).catch((error: unknown) => {
        throw new VmError(
          'VM_ERR_IO',
          `Could not write the settings file ${this.path}: ${(error as Error).message}. The previous settings are ` +
            'unchanged. Make the folder writable, or set DESKVM_DATA_DIR to a writable folder.',
          { cause: error },
        );
      });
    }

    return { settings, changedKeys, restartRequired: changedKeys.some((key) => RESTART_KEYS.has(key)) };
  }

  private validate(raw: unknown, where: string): Settings {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new VmError('VM_ERR_INVALID_SETTINGS', `The settings ${where} must be a JSON object.`);
    }

    const parsed = settingsSchema.safeParse(raw);

    if (parsed.success) {
      return parsed.data;
    }

    const issue = parsed.error.issues[0] ?? { code: 'custom', path: [], message: 'invalid value' };
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    const value = issue.path.length > 0 ? (raw as Record<string, unknown>)[String(issue.path[0])] : undefined;

    throw new VmError(
      'VM_ERR_INVALID_SETTINGS',
      `Invalid setting "${key}" ${where}: ${describeIssue(issue, value)}`,
      { key, cause: parsed.error },
    );
  }
}

function describeIssue(issue: ZodIssue, value: unknown): string {
  const got = `got ${JSON.stringify(value)}`;

  switch (issue.code) {
    case 'invalid_enum_value':
      return `allowed values are ${issue.options.map((option) => JSON.stringify(option)).join(', ')}; ${got}.`;
    case 'too_small':
      return `the minimum is ${String(issue.minimum)}; ${got}.`;
    case 'too_big':
      return `the maximum is ${String(issue.maximum)}; ${got}.`;
    case 'invalid_type':
      return `expected ${issue.expected === 'integer' ? 'an integer' : `a ${issue.expected}`}; ${got}.`;
    case 'unrecognized_keys':
      return `unknown key; allowed keys are ${Object.keys(settingsSchema.shape).join(', ')}.`;
    default:
      return `${issue.message}; ${got}.`;
  }
}
