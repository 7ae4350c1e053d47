import { describe, expect, it } from '@jest/globals';
import { detectPlatform, listGpuDevices, platformProfile, type PlatformFiles } from '../src/index.js';

/** A machine described by its files: a path maps to file text, or to a list of directory entries. */
function machine(tree: Record<string, string | string[]>): PlatformFiles {
  return {
    exists: (path) => path in tree,
    list: (path) => {
      const entry = tree[path];
      return Array.isArray(entry) ? entry : [];
    },
    read: (path) => {
      const entry = tree[path];
      return typeof entry === 'string' ? entry : undefined;
    },
  };
}

describe('detectPlatform', () => {
  it('WSL2 by /dev/dxg', () => {
    const detected = detectPlatform(machine({ '/dev/dxg': '', '/dev': ['dxg', 'null'], '/dev/dri': ['card0', 'renderD128'] }), 'linux');

    expect(detected).toEqual({ platform: 'wsl2', vendor: 'none', devices: ['/dev/dri/card0', '/dev/dri/renderD128', '/dev/dxg'] });
  });

  it('Intel render node', () => {
    const detected = detectPlatform(
      machine({ '/dev/dri': ['renderD128'], '/sys/class/drm': ['card0', 'renderD128'], '/sys/class/drm/renderD128/device/vendor': '0x8086\n' }),
      'linux',
    );

    expect(detected.platform).toBe('linux-va');
    expect(detected.vendor).toBe('intel');
  });

  it('AMD render node', () => {
    const detected = detectPlatform(
      machine({ '/dev/dri': ['renderD128'], '/sys/class/drm': ['renderD128'], '/sys/class/drm/renderD128/device/vendor': '0x1002\n' }),
      'linux',
    );

    expect(detected).toMatchObject({ platform: 'linux-va', vendor: 'amd' });
  });

  it('NVIDIA by /dev/nvidia0', () => {
    const detected = detectPlatform(machine({ '/dev': ['nvidia0', 'nvidiactl', 'nvidia-uvm'], '/dev/dri': ['renderD128'] }), 'linux');

    expect(detected.platform).toBe('linux-nvidia');
    expect(detected.devices).toEqual(['/dev/dri/renderD128', '/dev/nvidia-uvm', '/dev/nvidia0', '/dev/nvidiactl']);
  });

  it('NVIDIA render node without /dev/nvidia0 is software', () => {
    const detected = detectPlatform(
      machine({ '/dev/dri': ['renderD128'], '/sys/class/drm': ['renderD128'], '/sys/class/drm/renderD128/device/vendor': '0x10de' }),
      'linux',
    );

    expect(detected.platform).toBe('software');
  });

  it('no devices is software', () => {
    expect(detectPlatform(machine({}), 'linux')).toEqual({ platform: 'software', vendor: 'none', devices: [] });
  });

  it('macOS by os', () => {
    expect(detectPlatform(machine({}), 'darwin')).toMatchObject({ platform: 'macos', vendor: 'apple' });
  });

  it('device list is sorted', () => {
    expect(listGpuDevices(machine({ '/dev/dri': ['renderD129', 'card0', 'renderD128'] }))).toEqual([
      '/dev/dri/card0',
      '/dev/dri/renderD128',
      '/dev/dri/renderD129',
    ]);
  });
});

describe('platformProfile', () => {
  it('software encoders come last everywhere', () => {
    for (const platform of ['linux-va', 'linux-nvidia', 'linux-qsv', 'wsl2', 'macos', 'software'] as const) {
      const kinds = platformProfile(platform, 'intel').candidates.map((candidate) => candidate.encoder.kind);

      expect(kinds.slice(-2)).toEqual(['x264enc', 'openh264enc']);
    }
  });

  it('AMD has no low-power VA encoder', () => {
    const kinds = platformProfile('linux-va', 'amd').candidates.map((candidate) => candidate.encoder.kind);

    expect(kinds).not.toContain('vah264lpenc');
    expect(kinds[0]).toBe('vah264enc');
  });

  it('WSL2 sets the D3D12 driver', () => {
    const [va, vaapi] = platformProfile('wsl2', 'amd', {}).candidates;

    expect(va.env).toEqual({ LIBVA_DRIVER_NAME: 'd3d12', LD_LIBRARY_PATH: '/usr/lib/wsl/lib' });
    expect(vaapi.env).toEqual({ LIBVA_DRIVER_NAME: 'd3d12', LD_LIBRARY_PATH: '/usr/lib/wsl/lib', GST_VAAPI_ALL_DRIVERS: '1' });
    expect(va.requiredPaths).toContain('/dev/dxg');
  });
});
