import { createServer } from 'node:net';

import { DESKTOP_BRIDGE_PORT, DESKTOP_ENTRY, DESKTOP_USER } from '@deskvm/rootfs';
import type { GpuPlumbing } from '@deskvm/vm-core';
import { containerName, type DesktopContainerOptions, type NetworkMode } from '@deskvm/vm-native';

import { LABELS } from './sandbox-context.js';

/** The settings of the desktop container that `deskvm up` creates. */
export interface DesktopContainerSettings {
  readonly name: string;
  readonly image: string;
  readonly gpu: GpuPlumbing;
  readonly network: NetworkMode;
  /** The port on the host's 127.0.0.1 that reaches the bridge. */
  readonly hostPort: number;
  readonly token: string;
  readonly width: number;
  readonly height: number;
  readonly frameRate: number;
  readonly bitrateKbps: number;
  /** The value of the settings label, from `settingsLabel`. */
  readonly settings: string;
}

/** The X cookie's folder in the container; XAUTHORITY and DISPLAY in the container's environment point at it. */
const X_AUTHORITY_FOLDER = '/tmp/deskvm-x';

/** Seconds between two Docker health checks of the bridge; short, because `up` waits for the first healthy one. */
const HEALTH_INTERVAL_MS = 1000;

/**
 * Returns the container options of the desktop: `deskvm serve` from the image's bundle, run as the unprivileged
 * desktop user. The token goes in DESKVM_TOKEN, which serve removes from its own environment at start. A Docker health
 * check fetches the bridge's /health inside the container.
 *
 * With the bridge network the bridge listens on all of the container's addresses and the engine publishes it on the
 * host's 127.0.0.1 only. With the host network (an engine without a bridge network) it listens on 127.0.0.1 itself.
 */
export function desktopContainerOptions(settings: DesktopContainerSettings): DesktopContainerOptions {
  const bridgePort = bridgePortFor(settings);
  const listenHost = settings.network === 'bridge' ? '0.0.0.0' : '127.0.0.1';
  const display = displayNumberFor(settings);
  const origins = [`http://127.0.0.1:${settings.hostPort}`, `http://localhost:${settings.hostPort}`];
  const command = [
    'node',
    DESKTOP_ENTRY,
    'serve',
    '--host',
    listenHost,
    '--port',
    String(bridgePort),
    '--size',
    `${settings.width}x${settings.height}`,
    '--fps',
    String(settings.frameRate),
    '--bitrate',
    String(settings.bitrateKbps),
    '--json',
    '--x-authority-dir',
    X_AUTHORITY_FOLDER,
    '--display',
    String(display),
    ...origins.flatMap((origin) => ['--allow-origin', origin]),
  ];
  const healthScript =
    `fetch('http://127.0.0.1:${bridgePort}/health')` + '.then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))';

  return {
    spec: {
      project: containerName(settings.name),
      image: settings.image,
      gpu: settings.gpu,
      // DISPLAY and XAUTHORITY reach every `deskvm exec`, so programs started there appear on the desktop.
      environment: { DESKVM_TOKEN: settings.token, DISPLAY: `:${display}`, XAUTHORITY: `${X_AUTHORITY_FOLDER}/Xauthority` },
      ports: settings.network === 'bridge' ? [{ container: bridgePort, host: settings.hostPort }] : [],
    },
    network: settings.network,
    command,
    user: DESKTOP_USER,
    healthcheck: {
      test: ['CMD', 'node', '--no-warnings', '-e', healthScript],
      intervalMs: HEALTH_INTERVAL_MS,
      timeoutMs: 3000,
      retries: 30,
      startPeriodMs: 0,
    },
    labels: {
      [LABELS.bridgePort]: String(bridgePort),
      [LABELS.hostPort]: String(settings.hostPort),
      [LABELS.network]: settings.network,
      [LABELS.settings]: settings.settings,
    },
  };
}

/** Returns the bridge's port inside the container: fixed with the bridge network, the host port otherwise. */
export function bridgePortFor(settings: Pick<DesktopContainerSettings, 'network' | 'hostPort'>): number {
  return settings.network === 'bridge' ? DESKTOP_BRIDGE_PORT : settings.hostPort;
}

/**
 * Returns the X display number of the desktop: 0 in a network namespace of its own, and the host port on the host
 * network, because no other sandbox uses that port. X clients try the abstract socket of a display number first, and
 * the host network shares those sockets with the host and every other container on it.
 */
export function displayNumberFor(settings: Pick<DesktopContainerSettings, 'network' | 'hostPort'>): number {
  return settings.network === 'bridge' ? 0 : settings.hostPort;
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago, chosen by the kernel. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error('The kernel returned no port for a loopback listener.'));
        }
      });
    });
  });
}

/** Returns the settings label of a desktop container: the image and the stream settings, in one line for people. */
export function settingsLabel(settings: Pick<DesktopContainerSettings, 'image' | 'gpu' | 'width' | 'height' | 'frameRate' | 'bitrateKbps'>): string {
  return `image ${settings.image}, ${settings.width}x${settings.height} at ${settings.frameRate} fps, ${settings.bitrateKbps} kbit/s, GPU ${settings.gpu}`;
}

/** Returns the viewer page's address with the token in the fragment, which browsers never send to a server. */
export function viewerUrl(hostPort: number, token: string): string {
  return `http://127.0.0.1:${hostPort}/#token=${encodeURIComponent(token)}`;
}
