import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { GpuVendor, Platform } from './profiles.js';

/** The GPU-related device nodes of this machine and the platform chosen from them. */
export interface DetectedPlatform {
  platform: Platform;
  vendor: GpuVendor;
  /** The device nodes found: /dev/dri/*, /dev/dxg and /dev/nvidia*, sorted. */
  devices: string[];
}

/** Access to the machine's files, injectable for tests. */
export interface PlatformFiles {
  exists(path: string): boolean;
  /** Returns the entries of a directory, or an empty list when it cannot be read. */
  list(path: string): string[];
  /** Returns a file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
}

const nodeFiles: PlatformFiles = {
  exists: (path) => existsSync(path),
  list: (path) => {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
  read: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** PCI vendor ids (PCI-SIG registry) of the GPU vendors. */
const PCI_VENDORS: Record<string, GpuVendor> = { '0x8086': 'intel', '0x1002': 'amd', '0x10de': 'nvidia' };

/** Lists the device nodes that decide the platform and that key the probe cache. */
export function listGpuDevices(files: PlatformFiles = nodeFiles): string[] {
  const devices = files.list('/dev/dri').map((name) => `/dev/dri/${name}`);

  if (files.exists('/dev/dxg')) {
    devices.push('/dev/dxg');
  }

  devices.push(...files.list('/dev').filter((name) => name.startsWith('nvidia')).map((name) => `/dev/${name}`));

  return devices.sort();
}

function renderNodeVendor(files: PlatformFiles): GpuVendor {
  for (const node of files.list('/sys/class/drm').filter((name) => name.startsWith('renderD')).sort()) {
    const vendor = PCI_VENDORS[files.read(`/sys/class/drm/${node}/device/vendor`)?.trim() ?? ''];

    if (vendor !== undefined) {
      return vendor;
    }
  }

  return 'none';
}

/**
 * Chooses the platform from what the machine has: macOS by `os`, WSL2 by /dev/dxg, NVIDIA by /dev/nvidia0, and
 * VA-API by a render node in /dev/dri (Intel GPUs get the QSV profile only when asked for, since VA covers them).
 *
 * @param os - the operating system, default `process.platform`
 */
export function detectPlatform(files: PlatformFiles = nodeFiles, os: NodeJS.Platform = process.platform): DetectedPlatform {
  if (os === 'darwin') {
    return { platform: 'macos', vendor: 'apple', devices: [] };
  }

  const devices = listGpuDevices(files);

  if (devices.includes('/dev/dxg')) {
    return { platform: 'wsl2', vendor: renderNodeVendor(files), devices };
  }

  if (devices.includes('/dev/nvidia0')) {
    return { platform: 'linux-nvidia', vendor: 'nvidia', devices };
  }

  if (devices.some((device) => device.startsWith('/dev/dri/renderD'))) {
    const vendor = renderNodeVendor(files);

    // The proprietary NVIDIA driver also creates a render node, but its VA-API driver decodes only.
    return vendor === 'nvidia' ? { platform: 'software', vendor, devices } : { platform: 'linux-va', vendor, devices };
  }

  return { platform: 'software', vendor: 'none', devices };
}
