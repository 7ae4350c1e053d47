import { execa } from 'execa';

import {
  detectPlatform,
  formatProbeReport,
  listGpuDevices,
  platformProfile,
  probeEncoders,
  type GstToolRunner,
  type ProbeReport,
} from '@deskvm/gst-pipeline';
import { connectEngine, discoverGpu, type DockerEngine, type NativeVm } from '@deskvm/vm-native';

/** The outcome of one doctor check. */
export interface DoctorCheck {
  /** A stable identifier, such as `engine` or `gpu`. */
  readonly id: string;
  /** `ok`, `warn` (works, with a limit) or `fail` (keeps `deskvm up` from working). */
  readonly status: 'ok' | 'warn' | 'fail';
  /** The finding, in a sentence. */
  readonly summary: string;
  /** More lines, such as each rejected encoder with its reason. */
  readonly details: readonly string[];
  /** The remedy for a warning or failure. */
  readonly fix?: string;
}

/** Checks Node.js: deskvm needs 20.19 or newer on the host. */
export function checkNode(): DoctorCheck {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);

  return ok
    ? { id: 'node', status: 'ok', summary: `Node.js ${process.versions.node}`, details: [] }
    : { id: 'node', status: 'fail', summary: `Node.js ${process.versions.node} is too old`, details: [], fix: 'Install Node.js 20.19 or newer.' };
}

/** Connects to the Docker engine. Returns the check, and the engine when one responded. */
export async function checkEngine(): Promise<{ check: DoctorCheck; engine?: DockerEngine }> {
  try {
    const engine = await connectEngine();
    const [version, info] = await Promise.all([engine.version(), engine.info()]);
    const details = [`runtimes: ${info.runtimes.join(', ') || 'none'}`];
    const network = info.hasBridgeNetwork
      ? 'containers use the bridge network, published on 127.0.0.1'
      : 'no bridge network, so the desktop container uses the host network and its bridge listens on 127.0.0.1';

    return {
      engine,
      check: { id: 'engine', status: 'ok', summary: `Docker ${version.version} at ${engine.address}; ${network}`, details },
    };
  } catch (error) {
    return {
      check: {
        id: 'engine',
        status: 'fail',
        summary: 'no Docker engine responded',
        details: [error instanceof Error ? error.message : String(error)],
        fix: 'Start the Docker engine (sudo systemctl start docker), or set DOCKER_HOST.',
      },
    };
  }
}

/** Checks the tools that build the desktop image: debootstrap and root. */
export async function checkImageBuild(imageExists: boolean | undefined): Promise<DoctorCheck> {
  const debootstrap = await execa('debootstrap', ['--version'], { reject: false, stdin: 'ignore' });
  const hasDebootstrap = debootstrap.exitCode === 0;
  const isRoot = process.getuid?.() === 0;

  if (imageExists === true) {
    return { id: 'image', status: 'ok', summary: 'the desktop image of this deskvm version is in the engine', details: [] };
  }
  if (hasDebootstrap && isRoot) {
    return { id: 'image', status: 'ok', summary: 'the desktop image will be built on the first deskvm up (debootstrap found, running as root)', details: [] };
  }

  return {
    id: 'image',
    status: 'warn',
    summary: 'the desktop image is not built yet, and this process cannot build it',
    details: [hasDebootstrap ? 'debootstrap: found' : 'debootstrap: not found', isRoot ? 'user: root' : 'user: not root'],
    fix: 'Install debootstrap (apt-get install debootstrap) and run deskvm image build as root once, or pass --image to deskvm up.',
  };
}

/** Checks the GPU devices and which plumbing `deskvm up --gpu auto` would choose. */
export async function checkGpu(engine: DockerEngine | undefined): Promise<DoctorCheck> {
  const runtimes = engine === undefined ? [] : (await engine.info()).runtimes;
  const gpu = await discoverGpu({ runtimes });
  const devices = [...gpu.renderNodes, ...gpu.nvidiaDevices];
  const details = [`devices: ${devices.join(' ') || 'none'}`, ...gpu.reasons];

  return gpu.plumbing === 'none'
    ? { id: 'gpu', status: 'warn', summary: 'no usable GPU: the desktop is encoded in software (x264)', details, fix: 'None needed; a GPU only lowers CPU use.' }
    : { id: 'gpu', status: 'ok', summary: `GPU plumbing ${gpu.plumbing} (${gpu.vendors.join(', ') || 'vendor unknown'})`, details };
}

/**
 * Probes the H.264 encoders with gst-inspect-1.0 and a 10-frame test encode: inside the running sandbox when `vm`
 * is given (where the stream is encoded), on this machine otherwise (what `deskvm serve` uses).
 */
export async function checkEncoders(vm: NativeVm | undefined): Promise<DoctorCheck> {
  const where = vm === undefined ? 'on this machine' : 'in the sandbox';
  try {
    const report = vm === undefined ? await probeHere() : await probeInSandbox(vm);
    const accepted = report.candidates.filter((candidate) => candidate.accepted).map((candidate) => candidate.encoder);
    const details = formatProbeReport(report);

    return accepted.length === 0
      ? { id: 'encoders', status: 'fail', summary: `no H.264 encoder works ${where}`, details, fix: 'Install gstreamer1.0-plugins-ugly (x264enc).' }
      : { id: 'encoders', status: 'ok', summary: `H.264 encoders that work ${where}: ${accepted.join(', ')}`, details };
  } catch (error) {
    return {
      id: 'encoders',
      status: 'fail',
      summary: `the encoder probe failed ${where}`,
      details: [error instanceof Error ? error.message : String(error)],
      fix: 'Install GStreamer: gstreamer1.0-tools and gstreamer1.0-plugins-{base,good,bad,ugly}.',
    };
  }
}

async function probeHere(): Promise<ProbeReport> {
  const detected = detectPlatform();

  return probeEncoders({ profile: platformProfile(detected.platform, detected.vendor), devices: listGpuDevices() });
}

async function probeInSandbox(vm: NativeVm): Promise<ProbeReport> {
  // The container gets the host's GPU devices, so the host's platform names the candidates.
  const detected = detectPlatform();
  const profile = platformProfile(detected.platform, detected.vendor);
  const paths = [...new Set(profile.candidates.flatMap((candidate) => candidate.requiredPaths))];
  // The paths are positional parameters of a fixed script, never part of its text.
  const listing = await vm.exec(['sh', '-c', 'for p in "$@"; do [ -e "$p" ] && echo "$p"; done; exit 0', 'sh', ...paths], { timeoutMs: 10_000 });
  const present = new Set(listing.stdout.split('\n').filter((line) => line !== ''));
  const runner: GstToolRunner = async (tool, args, options) => {
    try {
      const result = await vm.exec([tool, ...args], { env: { GST_INSPECT_NO_COLORS: '1', ...options.env }, timeoutMs: options.timeoutMs });

      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, timedOut: false };
    } catch (error) {
      const timedOut = (error as { code?: string }).code === 'VM_ERR_COMMAND_TIMED_OUT';

      return { exitCode: undefined, stdout: '', stderr: error instanceof Error ? error.message : String(error), timedOut };
    }
  };

  return probeEncoders({ profile, devices: detected.devices, runner, fileExists: (path) => present.has(path) });
}
