import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import envPaths from 'env-paths';
import writeFileAtomic from 'write-file-atomic';
import { PipelineError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CandidateVerdict, ProbeReport } from './probe-report.js';

const CACHE_FILE = 'gst-probe-cache.json';
const FORMAT_VERSION = 1;
const MAX_ENTRIES = 16;

interface CacheFile {
  formatVersion: number;
  entries: Record<string, ProbeReport>;
}

/** The fields a cached report depends on. A new GStreamer version, device set or candidate list probes again. */
export interface ProbeCacheKey {
  gstVersion: string;
  devices: readonly string[];
  platform: string;
  vendor: string;
  candidates: readonly string[];
  size: string;
}

/** Returns the SHA-256 of the key's fields, hex; the device list is sorted first. */
export function probeCacheKey(key: ProbeCacheKey): string {
  const canonical = JSON.stringify([key.gstVersion, [...key.devices].sort(), key.platform, key.vendor, key.candidates, key.size]);

  return createHash('sha256').update(canonical).digest('hex');
}

function isVerdict(value: unknown): boolean {
  const verdict = value as Partial<CandidateVerdict> | null;

  return (
    typeof verdict === 'object' &&
    verdict !== null &&
    typeof verdict.encoder === 'string' &&
    typeof verdict.accepted === 'boolean' &&
    typeof verdict.env === 'object' &&
    verdict.env !== null
  );
}

/** Checks the fields that callers of a cached report read, so that an edited or damaged entry is probed again. */
function isProbeReport(value: unknown): value is ProbeReport {
  const report = value as Partial<ProbeReport> | null;

  return (
    typeof report === 'object' &&
    report !== null &&
    typeof report.gstVersion === 'string' &&
    Array.isArray(report.devices) &&
    Array.isArray(report.candidates) &&
    report.candidates.every(isVerdict)
  );
}

/** Returns deskvm's per-user data directory of this OS (from env-paths), the default for the probe cache. */
export function defaultDataDirectory(): string {
  return envPaths('deskvm', { suffix: '' }).data;
}

/**
 * Stores probe reports per machine in one JSON file under a data directory. Writes are atomic (a temporary file
 * renamed over the old one by write-file-atomic), so a crash leaves the old file or the new one, never half of one.
 * A file that cannot be parsed counts as empty and is replaced on the next write, and a malformed entry counts as
 * missing.
 */
export class ProbeCache {
  readonly path: string;

  /**
   * @param dataDirectory - where the cache file lives; default `defaultDataDirectory()`
   * @param logger - receives a warning when the file is unreadable
   */
  constructor(
    readonly dataDirectory: string = defaultDataDirectory(),
    private readonly logger?: Logger,
  ) {
    this.path = join(dataDirectory, CACHE_FILE);
  }

  /** Returns the report stored under `key`, or undefined when there is none or it is malformed. */
  async get(key: string): Promise<ProbeReport | undefined> {
    const entry: unknown = (await this.load()).entries[key];

    if (entry === undefined) {
      return undefined;
    }

    if (!isProbeReport(entry)) {
      this.logger?.warn('gst-pipeline.probe-cache: ignoring a malformed cache entry', { path: this.path, key });
      return undefined;
    }

    return entry;
  }

  /**
   * Stores a report under `key`, keeping at most 16 reports (the oldest are dropped).
   *
   * @throws PipelineError `PIPELINE_ERR_CACHE_WRITE` when the directory or file cannot be written
   */
  async set(key: string, report: ProbeReport): Promise<void> {
    const file = await this.load();
    const entries = Object.entries(file.entries).filter(([existing]) => existing !== key);
    entries.push([key, report]);

    const trimmed: CacheFile = { formatVersion: FORMAT_VERSION, entries: Object.fromEntries(entries.slice(-MAX_ENTRIES)) };

    try {
      await mkdir(this.dataDirectory, { recursive: true });
      await writeFileAtomic(this.path, `${JSON.stringify(trimmed, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new PipelineError(
        'PIPELINE_ERR_CACHE_WRITE',
        `Could not write the probe cache ${this.path}: ${(error as Error).message}. Pass a writable dataDirectory.`,
        { cause: error },
      );
    }
  }

  private async load(): Promise<CacheFile> {
    let text: string;

    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return { formatVersion: FORMAT_VERSION, entries: {} };
    }

    try {
      const parsed = JSON.parse(text) as CacheFile;

      if (parsed.formatVersion === FORMAT_VERSION && typeof parsed.entries === 'object' && parsed.entries !== null) {
        return parsed;
      }
    } catch (error) {
      this.logger?.warn('gst-pipeline.probe-cache: ignoring an unreadable cache file', { path: this.path, error });
    }

    return { formatVersion: FORMAT_VERSION, entries: {} };
  }
}
