export { VmError, isVmError, type Diagnostics, type VmErrorCode, type VmErrorOptions } from './errors.js';
export { silentLogger, type Logger } from './logger.js';
export type { BackendStatus, StartOptions, StopOptions, Vm, VmBackend } from './vm.js';
export {
  NOT_READY,
  type ErrorState,
  type ReadinessFlags,
  type RunningState,
  type StartingState,
  type StoppedState,
  type StoppingState,
  type VmState,
  type VmStateName,
} from './state/vm-state.js';
export { createManagedVm, DEFAULT_KILL_WAIT_MS, DEFAULT_STOP_TIMEOUT_MS, type ManagedVmOptions } from './state/managed-vm.js';
export {
  jsonLines,
  toJsonLine,
  type DownloadProgressEvent,
  type LogEvent,
  type StageEvent,
  type StateEvent,
  type VmEvent,
} from './events.js';
export {
  describeCommand,
  succeeded,
  type ArgvCommand,
  type Command,
  type OutputMode,
  type RunOptions,
  type RunResult,
  type ScriptCommand,
} from './run/command.js';
export { DEFAULT_KILL_GRACE_MS, DEFAULT_MAX_COLLECT_BYTES, runLocal } from './run/local-runner.js';
export { validateCommand } from './run/validate-command.js';
export {
  DEFAULT_DIAGNOSE_TIMEOUT_MS,
  DEFAULT_STAGE_INTERVAL_MS,
  runStages,
  type ReadinessStage,
  type RunStagesOptions,
} from './stages/stage-runner.js';
export { StageFailure } from './stages/stage-failure.js';
export { OutputCollector } from './run/output-collector.js';
export { VmLock, type LockOwner } from './lock/vm-lock.js';
export {
  createProcessInspector,
  isAlive,
  ProcProcessInspector,
  PsProcessInspector,
  type ProcessInspector,
} from './process/process-inspector.js';
export { DEFAULT_LOG_CAPACITY_BYTES, LogRingBuffer } from './logs/log-ring-buffer.js';
export { dataDirectory } from './files/data-directory.js';
export { writeFileAtomic } from './files/atomic-write.js';
export { BACKEND_CHOICES, RESTART_KEYS, settingsSchema, type Settings } from './settings/settings-schema.js';
export { SETTINGS_FILE_NAME, SettingsStore, type SettingsUpdate } from './settings/settings-store.js';
export { parseManifest, resolveFileSource, type FileSource, type ImageManifest, type ManifestFile } from './download/manifest.js';
export {
  DOWNLOAD_LOCK_NAME,
  downloadImage,
  IMAGE_RECORD_NAME,
  readInstalledImage,
  type DownloadImageOptions,
  type FileSystemSpace,
} from './download/download-image.js';
export { createProxyDispatcher, MAX_REDIRECTIONS } from './download/proxy-dispatcher.js';
export {
  DESKTOP_SERVICE,
  validateContainerSpec,
  type DesktopContainerSpec,
  type GpuPlumbing,
  type PortBinding,
  type VolumeMount,
} from './stack/container-spec.js';
export { gpuAdditions, renderComposeFile, type GpuAdditions } from './stack/compose-file.js';
export {
  DEFAULT_STACK_TIMEOUT_MS,
  diagnoseStack,
  parseComposePs,
  stackStatus,
  startStack,
  type CommandRunner,
  type ContainerStatus,
} from './stack/stack-operations.js';
export { stackStages, type StackStageTimeouts } from './stack/stack-stages.js';
