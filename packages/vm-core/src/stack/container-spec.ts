import { VmError } from '../errors.js';

/**
 * The GPU plumbing of the desktop container.
 * - `none`: software rendering and encoding only.
 * - `dri`: Linux with Intel or AMD; the `/dev/dri` render nodes for VA-API.
 * - `nvidia`: Linux with an NVIDIA GPU through the NVIDIA container toolkit (NVENC needs the `video` capability).
 * - `wsl`: WSL2 GPU paravirtualisation: `/dev/dxg`, the host's driver libraries in `/usr/lib/wsl`, and Mesa's d3d12
 *   VA-API driver.
 */
export type GpuPlumbing = 'none' | 'dri' | 'nvidia' | 'wsl';

/** A bind mount into the container. */
export interface VolumeMount {
  /** Absolute path in the VM. */
  source: string;
  /** Absolute path in the container. */
  target: string;
  /** Mount read-only. Default false. */
  readOnly?: boolean;
}

/** A container port published on the VM's loopback address. */
export interface PortBinding {
  /** The port inside the container. */
  container: number;
  /** The port on 127.0.0.1 of the VM. */
  host: number;
}

/**
 * The desktop container: the agent's desktop and the desktop bridge. Ports are always published on 127.0.0.1; the
 * backend forwards them to the host's loopback address.
 */
export interface DesktopContainerSpec {
  /** The compose project name: lower-case letters, digits, `_` and `-`, starting with a letter or digit. */
  project: string;
  /** The image reference, such as `deskvm/desktop:0.1.0`. */
  image: string;
  /** The GPU plumbing. */
  gpu: GpuPlumbing;
  /** Environment variables of the container. */
  environment?: Readonly<Record<string, string>>;
  /** Bind mounts. */
  volumes?: readonly VolumeMount[];
  /** Published ports. */
  ports?: readonly PortBinding[];
  /** Extra device paths, such as `/dev/uinput`. */
  devices?: readonly string[];
  /** Size of `/dev/shm` in MiB; browsers need more than Docker's default of 64. Default 1024. */
  shmSizeMiB?: number;
}

/** The service name of the desktop container in the compose file. */
export const DESKTOP_SERVICE = 'desktop';

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Raises `VM_ERR_INVALID_ARGUMENT` naming the first invalid value of the specification. */
export function validateContainerSpec(spec: DesktopContainerSpec): void {
  if (!PROJECT_NAME.test(spec.project)) {
    invalid(`project ${JSON.stringify(spec.project)}`, 'lower-case letters, digits, "_" and "-", starting with a letter or digit');
  }

  if (spec.image.trim() === '' || /\s/.test(spec.image)) {
    invalid(`image ${JSON.stringify(spec.image)}`, 'an image reference without spaces');
  }

  for (const name of Object.keys(spec.environment ?? {})) {
    if (!ENVIRONMENT_NAME.test(name)) {
      invalid(`environment variable name ${JSON.stringify(name)}`, 'letters, digits and "_", not starting with a digit');
    }
  }

  for (const port of spec.ports ?? []) {
    for (const value of [port.container, port.host]) {
      if (!Number.isInteger(value) || value < 1 || value > 65_535) {
        invalid(`port ${JSON.stringify(port)}`, 'integers from 1 to 65535');
      }
    }
  }

  for (const path of [...(spec.volumes ?? []).flatMap((volume) => [volume.source, volume.target]), ...(spec.devices ?? [])]) {
    if (!path.startsWith('/') || path.includes(':') || path.includes('\n')) {
      invalid(`path ${JSON.stringify(path)}`, 'an absolute path without ":" or newlines');
    }
  }
}

function invalid(subject: string, rule: string): never {
  throw new VmError('VM_ERR_INVALID_ARGUMENT', `Invalid desktop container ${subject}: it must be ${rule}.`);
}
