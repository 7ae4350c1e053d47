import type { EncoderDescription } from '../description.js';

/** The platforms deskvm builds pipelines for. */
export const PLATFORMS = ['linux-va', 'linux-nvidia', 'linux-qsv', 'wsl2', 'macos', 'software'] as const;

/** One platform: Linux with VA-API, NVIDIA or Intel Quick Sync; WSL2's D3D12 video; macOS; or no usable GPU. */
export type Platform = (typeof PLATFORMS)[number];

/** The GPU vendors, from the PCI vendor id of the render node, or `'none'`. */
export type GpuVendor = 'intel' | 'amd' | 'nvidia' | 'apple' | 'none';

/** One encoder to try, with what it needs from the environment and the machine. */
export interface EncoderCandidate {
  encoder: EncoderDescription;
  /** Variables gst-launch-1.0 and gst-inspect-1.0 need for this encoder. */
  env: Record<string, string>;
  /** Files that must exist for the encoder to work, such as `/dev/dxg`; a candidate whose files are missing is rejected. */
  requiredPaths: string[];
}

/** The encoders of one platform and GPU vendor, in order of preference. */
export interface PlatformProfile {
  platform: Platform;
  vendor: GpuVendor;
  candidates: EncoderCandidate[];
}

/**
 * The software encoders, in order of preference. x264 comes first: at 1920x1080 30 fps it encodes a frame in a
 * fraction of openh264's time on the same CPU (benchmarks/gst/software-encoders.mjs, docs/benchmarks.md).
 */
const SOFTWARE: EncoderCandidate[] = [
  { encoder: { kind: 'x264enc' }, env: {}, requiredPaths: [] },
  { encoder: { kind: 'openh264enc' }, env: {}, requiredPaths: [] },
];

function candidate(kind: EncoderDescription['kind'], env: Record<string, string> = {}, requiredPaths: string[] = []): EncoderCandidate {
  return { encoder: { kind } as EncoderDescription, env, requiredPaths };
}

/** The folder where WSL2 mounts the Windows host's D3D12 and DirectX core libraries. */
const WSL2_LIBRARY_FOLDER = '/usr/lib/wsl/lib';

/**
 * Mesa's D3D12 VA driver under WSL2 (Mesa 22.3 and later) needs the driver name set, the paravirtual GPU device and
 * the D3D12 libraries under /usr/lib/wsl/lib on the loader path. WSL's init adds that folder through
 * /etc/ld.so.conf.d/ld.wsl.conf, but a container or a distribution with `[automount] ldconfig = false` has no such
 * file, so the folder goes in front of LD_LIBRARY_PATH too.
 */
function wsl2Environment(loaderPath: string | undefined): Record<string, string> {
  const libraryPath = loaderPath === undefined || loaderPath === '' ? WSL2_LIBRARY_FOLDER : `${WSL2_LIBRARY_FOLDER}:${loaderPath}`;

  return { LIBVA_DRIVER_NAME: 'd3d12', LD_LIBRARY_PATH: libraryPath };
}

const WSL2_PATHS = ['/dev/dxg', `${WSL2_LIBRARY_FOLDER}/libd3d12.so`, `${WSL2_LIBRARY_FOLDER}/libdxcore.so`];

function hardwareCandidates(platform: Platform, vendor: GpuVendor, env: NodeJS.ProcessEnv): EncoderCandidate[] {
  switch (platform) {
    case 'linux-va':
      // The low-power entrypoint (vah264lpenc) exists on Intel GPUs only; AMD's Mesa driver has the normal one.
      return vendor === 'intel'
        ? [candidate('vah264lpenc'), candidate('vah264enc'), candidate('vaapih264enc')]
        : [candidate('vah264enc'), candidate('vaapih264enc')];

    case 'linux-qsv':
      return [candidate('qsvh264enc'), candidate('vah264lpenc'), candidate('vah264enc'), candidate('vaapih264enc')];

    case 'linux-nvidia':
      // nvcudah264enc replaces nvh264enc from GStreamer 1.22; older versions have only nvh264enc.
      return [candidate('nvcudah264enc'), candidate('nvh264enc')];

    case 'wsl2': {
      const wsl2Env = wsl2Environment(env['LD_LIBRARY_PATH']);

      // gstreamer-vaapi ignores drivers other than Intel's and Mesa's known ones unless GST_VAAPI_ALL_DRIVERS=1.
      return [
        candidate('vah264enc', wsl2Env, WSL2_PATHS),
        candidate('vaapih264enc', { ...wsl2Env, GST_VAAPI_ALL_DRIVERS: '1' }, WSL2_PATHS),
      ];
    }

    case 'macos':
      return [candidate('vtenc_h264_hw')];

    case 'software':
      return [];
  }
}

/**
 * Returns the encoder candidates of a platform and GPU vendor, hardware encoders first and the software encoders
 * last, so that a machine whose GPU encoder fails still streams.
 *
 * @param env - the environment the pipelines will run in, read for `LD_LIBRARY_PATH` on WSL2; default `process.env`
 */
export function platformProfile(platform: Platform, vendor: GpuVendor, env: NodeJS.ProcessEnv = process.env): PlatformProfile {
  return { platform, vendor, candidates: [...hardwareCandidates(platform, vendor, env), ...SOFTWARE] };
}
