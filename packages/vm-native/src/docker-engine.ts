import type Dockerode from 'dockerode';
import { engineMessage, engineStatusCode, NativeError } from './errors.js';
import { importImage, pullImage, type ImageProgress } from './image-transfer.js';

/** Facts about the engine from its `/info` endpoint and its network list. */
export interface EngineInfo {
  /** The engine's version, such as `20.10.24+dfsg1`. */
  serverVersion: string;
  /** Names of the container runtimes configured in the engine, such as `runc` and `nvidia`. */
  runtimes: string[];
  /** The runtime used when a container names none. */
  defaultRuntime: string;
  /** Whether a network named `bridge` exists; engines started with `--bridge=none` have none. */
  hasBridgeNetwork: boolean;
  /** The cgroup driver, `systemd` or `cgroupfs`. */
  cgroupDriver: string;
  /** The cgroup version, `1` or `2`, when the engine reports it. */
  cgroupVersion?: string;
  /** Whether the engine runs rootless. */
  rootless: boolean;
  /** The host's operating system as the engine describes it. */
  operatingSystem: string;
  /** The host's architecture, such as `x86_64`. */
  architecture: string;
}

/** The engine's version facts from its `/version` endpoint. */
export interface EngineVersion {
  /** The engine's version, such as `20.10.24+dfsg1`. */
  version: string;
  /** The highest API version the engine supports, such as `1.41`. */
  apiVersion: string;
  /** The engine's operating system, `linux` here. */
  os: string;
  /** The engine's architecture in Go terms, such as `amd64`. */
  arch: string;
}

/** A Docker engine that responded to a ping. Create one with `connectEngine`. */
export class DockerEngine {
  /**
   * @param address - the `DOCKER_HOST` value at which this engine responded
   * @param docker - the dockerode client for that address
   */
  constructor(
    readonly address: string,
    readonly docker: Dockerode,
  ) {}

  /** Pings the engine. Raises `NATIVE_ERR_ENGINE_UNREACHABLE` with the engine's or the transport's message. */
  async ping(signal?: AbortSignal): Promise<void> {
    try {
      await pingEngine(this.docker, signal);
    } catch (error) {
      throw new NativeError(
        'NATIVE_ERR_ENGINE_UNREACHABLE',
        `The Docker engine at ${this.address} did not respond to a ping: ${engineMessage(error)}.`,
        { cause: error },
      );
    }
  }

  /** Returns the engine's version facts. */
  async version(): Promise<EngineVersion> {
    const version = await this.docker.version();

    return { version: version.Version, apiVersion: version.ApiVersion, os: version.Os, arch: version.Arch };
  }

  /** Returns the runtimes, the cgroup driver and whether a `bridge` network exists. */
  async info(): Promise<EngineInfo> {
    const [info, bridges] = await Promise.all([
      this.docker.info() as Promise<Record<string, unknown>>,
      this.docker.listNetworks({ filters: { name: ['bridge'] } }),
    ]);
    const securityOptions = Array.isArray(info['SecurityOptions']) ? (info['SecurityOptions'] as string[]) : [];

    return {
      serverVersion: String(info['ServerVersion'] ?? ''),
      runtimes: Object.keys((info['Runtimes'] as Record<string, unknown> | undefined) ?? {}).sort(),
      defaultRuntime: String(info['DefaultRuntime'] ?? 'runc'),
      // The name filter matches substrings, so the exact name is checked here.
      hasBridgeNetwork: bridges.some((network) => network.Name === 'bridge'),
      cgroupDriver: String(info['CgroupDriver'] ?? ''),
      cgroupVersion: info['CgroupVersion'] === undefined ? undefined : String(info['CgroupVersion']),
      rootless: securityOptions.some((option) => option.includes('name=rootless')),
      operatingSystem: String(info['OperatingSystem'] ?? ''),
      architecture: String(info['Architecture'] ?? ''),
    };
  }

  /** Returns whether the engine has an image with this reference. Raises `NATIVE_ERR_IMAGE` for other failures. */
  async imageExists(reference: string): Promise<boolean> {
    try {
      await this.docker.getImage(reference).inspect();

      return true;
    } catch (error) {
      if (engineStatusCode(error) === 404) {
        return false;
      }

      throw new NativeError('NATIVE_ERR_IMAGE', `Could not inspect the image ${reference}: ${engineMessage(error)}.`, {
        cause: error,
      });
    }
  }

  /**
   * Pulls an image (`docker pull`), reporting progress from the engine's JSON stream. Raises `NATIVE_ERR_IMAGE`
   * naming the reference and the engine's message.
   */
  async pullImage(
    reference: string,
    options: { signal?: AbortSignal; onProgress?: (progress: ImageProgress) => void } = {},
  ): Promise<void> {
    await pullImage(this.docker, reference, options);
  }

  /**
   * Imports a root file system tarball as an image (`docker import`) tagged `reference`. `changes` are Dockerfile
   * instructions applied to the image, such as `CMD ["/bin/sh"]`, `ENV A=b`, `USER agent`, `WORKDIR /home/agent`.
   * Progress counts the tarball's bytes sent. Raises `NATIVE_ERR_IMAGE` naming the file, the reference and the
   * engine's message.
   */
  async importImage(
    tarPath: string,
    reference: string,
    options: { changes?: readonly string[]; signal?: AbortSignal; onProgress?: (progress: ImageProgress) => void } = {},
  ): Promise<void> {
    await importImage(this.docker, tarPath, reference, options);
  }

  /** Removes an image by reference. Does nothing when it does not exist. Raises `NATIVE_ERR_IMAGE` otherwise. */
  async removeImage(reference: string): Promise<void> {
    try {
      await this.docker.getImage(reference).remove();
    } catch (error) {
      if (engineStatusCode(error) === 404) {
        return;
      }

      throw new NativeError('NATIVE_ERR_IMAGE', `Could not remove the image ${reference}: ${engineMessage(error)}.`, {
        cause: error,
      });
    }
  }
}

/** Sends `GET /_ping`. dockerode 4.0.9 accepts `abortSignal` here, but its type definitions lack that overload. */
export async function pingEngine(docker: Dockerode, signal: AbortSignal | undefined): Promise<void> {
  const ping = docker.ping.bind(docker) as unknown as (options: { abortSignal?: AbortSignal }) => Promise<unknown>;

  await ping({ abortSignal: signal });
}
