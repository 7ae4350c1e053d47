import { map, type OperatorFunction } from 'rxjs';
import type { VmState } from './state/vm-state.js';

/** The VM changed state. */
export interface StateEvent {
  type: 'state';
  /** The VM's name. */
  vm: string;
  /** The new state. */
  state: VmState;
}

/** A readiness stage started, passed or failed. */
export interface StageEvent {
  type: 'stage';
  /** The VM's name. */
  vm: string;
  /** The stage's name. */
  stage: string;
  /** What happened to the stage. */
  status: 'started' | 'passed' | 'failed';
  /** Milliseconds since the stage started; 0 for `started`. */
  elapsedMs: number;
  /** Why the stage failed, for `failed`. */
  message?: string;
}

/** Progress of one file of an image download. */
export interface DownloadProgressEvent {
  type: 'download-progress';
  /** The file's name in the manifest. */
  file: string;
  /** What the download is doing. */
  status: 'checking' | 'downloading' | 'retrying' | 'verifying' | 'complete';
  /** Bytes written so far, including bytes kept from an earlier run. */
  bytesDone: number;
  /** The file's size from the manifest. */
  bytesTotal: number;
  /** Recent download speed in bytes per second (an exponential moving average), 0 before the first measurement. */
  bytesPerSecond: number;
  /** Estimated seconds left at that speed, or undefined while the speed is unknown. */
  etaSeconds?: number;
}

/** A line of the VM's console or of a command's log. */
export interface LogEvent {
  type: 'log';
  /** The VM's name. */
  vm: string;
  /** Which log the line belongs to. */
  source: 'console' | 'command';
  /** The text, without the trailing newline. */
  line: string;
}

/** Every event that a `Vm` and the download manager emit. */
export type VmEvent = StateEvent | StageEvent | DownloadProgressEvent | LogEvent;

/** Serialises one event as a JSON line (ending in `\n`) with a `time` field in ISO 8601, for the CLI's `--json` output. */
export function toJsonLine(event: VmEvent, now: Date = new Date()): string {
  return `${JSON.stringify({ time: now.toISOString(), ...event })}\n`;
}

/** An rxjs operator that turns events into JSON lines. */
export function jsonLines(): OperatorFunction<VmEvent, string> {
  return map((event) => toJsonLine(event));
}
