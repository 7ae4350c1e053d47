import { stringify } from 'yaml';
import { DESKTOP_SERVICE, validateContainerSpec, type DesktopContainerSpec, type GpuPlumbing } from './container-spec.js';

/** Devices, volumes, environment and device requests that a GPU plumbing adds to the container. */
export interface GpuAdditions {
  devices: string[];
  volumes: string[];
  environment: Record<string, string>;
  /** Compose `deploy.resources.reservations.devices` entries, for NVIDIA. */
  deviceRequests: Array<Record<string, unknown>>;
}

/** Returns what `gpu` adds to the desktop container. */
export function gpuAdditions(gpu: GpuPlumbing): GpuAdditions {
  const none: GpuAdditions = { devices: [], volumes: [], environment: {}, deviceRequests: [] };

  switch (gpu) {
    case 'none':
      return none;
    case 'dri':
      return { ...none, devices: ['/dev/dri:/dev/dri'] };
    case 'nvidia':
      return {
        ...none,
        environment: { NVIDIA_DRIVER_CAPABILITIES: 'compute,utility,video,graphics' },
        deviceRequests: [{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }],
      };
    case 'wsl':
      return {
        devices: ['/dev/dxg:/dev/dxg'],
        volumes: ['/usr/lib/wsl:/usr/lib/wsl:ro'],
        environment: { LIBVA_DRIVER_NAME: 'd3d12', LD_LIBRARY_PATH: '/usr/lib/wsl/lib' },
        deviceRequests: [],
      };
  }
}

/**
 * Renders the docker compose file (YAML) of the desktop container. Ports are published on 127.0.0.1 only. Values
 * are validated first, so none can add keys to the file.
 */
export function renderComposeFile(spec: DesktopContainerSpec): string {
  validateContainerSpec(spec);

  const gpu = gpuAdditions(spec.gpu);
  const service: Record<string, unknown> = {
    image: spec.image,
    restart: 'unless-stopped',
    shm_size: `${spec.shmSizeMiB ?? 1024}m`,
    environment: { ...gpu.environment, ...spec.environment },
    devices: [...gpu.devices, ...(spec.devices ?? []).map((path) => `${path}:${path}`)],
    volumes: [
      ...gpu.volumes,
      ...(spec.volumes ?? []).map((volume) => `${volume.source}:${volume.target}${volume.readOnly === true ? ':ro' : ''}`),
    ],
    ports: (spec.ports ?? []).map((port) => `127.0.0.1:${port.host}:${port.container}`),
  };

  if (gpu.deviceRequests.length > 0) {
    service.deploy = { resources: { reservations: { devices: gpu.deviceRequests } } };
  }

  for (const key of ['environment', 'devices', 'volumes', 'ports']) {
    const value = service[key];

    if ((Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)) {
      delete service[key];
    }
  }

  return stringify({ name: spec.project, services: { [DESKTOP_SERVICE]: service } });
}
