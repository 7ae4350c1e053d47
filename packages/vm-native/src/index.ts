export { engineMessage, isNativeError, NativeError, type NativeErrorCode, type NativeErrorOptions } from './errors.js';
export { DEFAULT_ENGINE_ADDRESS, DESKVM_ENGINE_ADDRESS, engineAddresses, engineConnectionOptions } from './engine-address.js';
export { connectEngine, DEFAULT_CONNECT_TIMEOUT_MS, type ConnectEngineOptions } from './connect-engine.js';
export { DockerEngine, type EngineInfo, type EngineVersion } from './docker-engine.js';
export { splitReference, type ImageProgress } from './image-transfer.js';
export { discoverGpu, type DiscoverGpuOptions, type GpuDiscovery } from './gpu-discovery.js';
export {
  containerCreateOptions,
  containerName,
  DEFAULT_SHM_SIZE_MIB,
  VM_LABEL,
  type DesktopContainerOptions,
  type HealthcheckOptions,
  type NetworkMode,
} from './container-options.js';
export { containerFacts, type ContainerFacts } from './container-facts.js';
export { execInContainer, type ExecOptions } from './container-exec.js';
export { readContainerLogs, type LogsOptions } from './container-logs.js';
export { LOG_TAIL_LINES, type NativeStageTimeouts } from './native-stages.js';
export type { ExecAgentOptions, ImageSource } from './native-backend.js';
export { DEFAULT_HELLO_TIMEOUT_MS, ExecChannel, type ExecChannelOptions } from './exec-channel/exec-channel.js';
export { FrameDecoder, FrameError, FrameType, MAX_DATA_PAYLOAD_BYTES, MAX_FRAME_BYTES, PROTOCOL_VERSION, encodeFrame, type Frame } from './exec-channel/frame.js';
export { createNativeVm, type NativeVm, type NativeVmOptions } from './native-vm.js';
