import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GpuPlumbing } from '@deskvm/vm-core';

/** The devices `discoverGpu` found and the reasons for its plumbing. */
export interface GpuDiscovery {
  /** The GPU plumbing for the desktop container. */
  plumbing: GpuPlumbing;
  /** Render node paths such as `/dev/dri/renderD128`, sorted. */
  renderNodes: string[];
  /** NVIDIA device paths such as `/dev/nvidia0` and `/dev/nvidiactl`, sorted. */
  nvidiaDevices: string[];
  /** GPU vendors of the render nodes: `intel`, `amd`, `nvidia`, or the PCI vendor id such as `0x1af4`. */
  vendors: string[];
  /** One sentence per decision, for `deskvm doctor` and logs. */
  reasons: string[];
}

/** Options of `discoverGpu`. */
export interface DiscoverGpuOptions {
  /** The folder that stands for `/dev`. Default `/dev`. */
  devRoot?: string;
  /** The folder that stands for `/sys`. Default `/sys`. */
  sysRoot?: string;
  /** The engine's runtime names, from `DockerEngine.info()`. Default none. */
  runtimes?: readonly string[];
}

const PCI_VENDORS: Readonly<Record<string, string>> = { '0x8086': 'intel', '0x1002': 'amd', '0x10de': 'nvidia' };

/**
 * Chooses the GPU plumbing from the device files and the engine's runtimes. The first match wins:
 * - `/dev/dxg` gives `wsl`.
 * - NVIDIA devices (`/dev/nvidia<N>` and `/dev/nvidiactl`) with a runtime named `nvidia` give `nvidia`.
 * - Render nodes `/dev/dri/renderD*` give `dri`.
 * - Otherwise `none`.
 *
 * Vendors come from `/sys/class/drm/renderD*\/device/vendor`. The paths in the result start with `devRoot`.
 */
export async function discoverGpu(options: DiscoverGpuOptions = {}): Promise<GpuDiscovery> {
  const devRoot = options.devRoot ?? '/dev';
  const sysRoot = options.sysRoot ?? '/sys';
  const runtimes = options.runtimes ?? [];
  const renderNodes = (await listNames(join(devRoot, 'dri'))).filter((name) => /^renderD\d+$/.test(name));
  const nvidiaDevices = (await listNames(devRoot)).filter((name) => /^nvidia(\d+|ctl)$/.test(name));
  const vendors = await renderNodeVendors(sysRoot, renderNodes);
  const reasons: string[] = [];
  const result = (plumbing: GpuPlumbing): GpuDiscovery => ({
    plumbing,
    renderNodes: renderNodes.map((name) => join(devRoot, 'dri', name)),
    nvidiaDevices: nvidiaDevices.map((name) => join(devRoot, name)),
    vendors,
    reasons,
  });

  if (await exists(join(devRoot, 'dxg'))) {
    reasons.push(`${join(devRoot, 'dxg')} exists, so this is WSL2 GPU paravirtualisation.`);

    return result('wsl');
  }

  const hasNvidiaDevices = nvidiaDevices.includes('nvidiactl') && nvidiaDevices.some((name) => /^nvidia\d+$/.test(name));

  if (hasNvidiaDevices && runtimes.includes('nvidia')) {
    reasons.push('NVIDIA devices exist and the engine has the nvidia runtime, so the NVIDIA container toolkit is used.');

    return result('nvidia');
  }

  if (hasNvidiaDevices) {
    reasons.push(
      'NVIDIA devices exist but the engine has no runtime named nvidia; install the NVIDIA container toolkit and ' +
        'restart the engine to use this GPU.',
    );
  }

  if (renderNodes.length > 0) {
    const vendorText = vendors.length === 0 ? 'an unknown vendor' : vendors.join(', ');

    reasons.push(`Render nodes ${renderNodes.join(', ')} exist (${vendorText}), so /dev/dri is passed for VA-API.`);

    return result('dri');
  }

  reasons.push('No GPU device was found, so rendering and encoding run in software.');

  return result('none');
}

async function renderNodeVendors(sysRoot: string, renderNodes: readonly string[]): Promise<string[]> {
  const vendors = new Set<string>();

  for (const name of renderNodes) {
    const id = await readFile(join(sysRoot, 'class', 'drm', name, 'device', 'vendor'), 'utf8').then(
      (text) => text.trim().toLowerCase(),
      () => undefined,
    );

    if (id !== undefined && id !== '') {
      vendors.add(PCI_VENDORS[id] ?? id);
    }
  }

  return [...vendors].sort();
}

async function listNames(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => []);

  return names.sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
