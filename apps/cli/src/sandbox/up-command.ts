import { Command, Option } from 'commander';

import { generateToken } from '@deskvm/desktop-bridge';
import { discoverGpu, type DockerEngine, connectEngine, type NetworkMode } from '@deskvm/vm-native';
import { dataDirectory, silentLogger, type GpuPlumbing } from '@deskvm/vm-core';

import { CliError } from '../errors.js';
import { createJsonLogger } from '../logger.js';
import { integerIn, parseSize, type Size } from '../serve/serve-options.js';
import { createCommandOutput, type CommandOutput } from './command-output.js';
import { desktopContainerOptions, freeLoopbackPort, settingsLabel, viewerUrl } from './desktop-container.js';
import { desktopImageSource } from './desktop-image.js';
import { addImageBuildOptions, addProgressOutputOptions } from './image-options.js';
import { EXIT } from './exit-codes.js';
import { ProgressView } from './progress-view.js';
import { interruptedOr, reportError } from './report-error.js';
import { LABELS, openSandbox, requireOwnContainer, sandboxNameOption } from './sandbox-context.js';
import { withInterrupt } from './interrupt.js';

interface UpFlags {
  readonly name: string;
  readonly size: Size;
  readonly fps: number;
  readonly bitrate: number;
  readonly port: number;
  readonly gpu: 'auto' | GpuPlumbing;
  readonly network: 'auto' | NetworkMode;
  readonly image?: string;
  readonly mirror?: string;
  readonly suite?: string;
  readonly rebuild: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
}

/** Creates `deskvm up`. */
export function createUpCommand(): Command {
  const command = new Command('up')
    .description(
      "Start the agent's desktop in a container and print the viewer address. The desktop image is built on first use " +
        '(about 1 to 4 minutes, then cached) unless --image names one to pull.',
    )
    .addOption(sandboxNameOption())
    .addOption(new Option('--size <WxH>', 'desktop size in pixels').default(parseSize('1280x720'), '1280x720').argParser(parseSize))
    .addOption(new Option('--fps <n>', 'frames per second, 1 to 120').default(30).argParser(integerIn('--fps', 1, 120, 'frames per second')))
    .addOption(
      new Option('--bitrate <kbps>', 'encoder bitrate in kbit/s, 100 to 100000').default(4000).argParser(integerIn('--bitrate', 100, 100_000, 'kbit/s')),
    )
    .addOption(
      new Option('--port <n>', 'port on 127.0.0.1 for the viewer and the stream, 1 to 65535; default a free one').argParser(
        integerIn('--port', 1, 65_535),
      ),
    )
    .addOption(new Option('--gpu <kind>', 'GPU plumbing; auto picks from the devices found').choices(['auto', 'none', 'dri', 'nvidia']).default('auto'))
    .addOption(
      new Option('--network <mode>', 'container network; auto uses the bridge network when the engine has one, else the host network')
        .choices(['auto', 'bridge', 'host'])
        .default('auto'),
    )
    .option('--image <reference>', 'use this desktop image instead of building one; pulled when missing');

  return addProgressOutputOptions(addImageBuildOptions(command)).action(async (flags: UpFlags) => {
    const output = createCommandOutput(flags.json);
    process.exitCode = await withInterrupt((signal) => runUp(flags, output, signal)).catch((error: unknown) => reportError(error, output));
  });
}

async function runUp(flags: UpFlags, output: CommandOutput, signal: AbortSignal): Promise<number> {
  // Without --verbose the library stays silent: a failure reaches the user once, through reportError.
  const logger = flags.verbose ? createJsonLogger('deskvm.up', 'debug') : silentLogger;
  const view = new ProgressView(output);
  const engine = await connectEngine({ logger });
  const gpu = flags.gpu === 'auto' ? (await discoverGpu({ runtimes: (await engine.info()).runtimes })).plumbing : flags.gpu;
  const image = await desktopImageSource({
    reference: flags.image,
    mirror: flags.mirror,
    suite: flags.suite,
    rebuild: flags.rebuild,
    dataDirectory: dataDirectory(),
    onProgress: (progress) => view.image(progress),
    logger,
  });
  const wanted = settingsLabel({ image: image.reference, gpu, width: flags.size.width, height: flags.size.height, frameRate: flags.fps, bitrateKbps: flags.bitrate });
  let existing = await existingSettings(engine, flags.name);

  if (existing !== undefined && (flags.rebuild || differs(existing, wanted, flags))) {
    if (existing.running && !flags.rebuild) {
      output.note(
        `The sandbox "${flags.name}" runs with other settings (${existing.settings}). To apply ${wanted}, run deskvm down, then deskvm up.`,
      );
    } else {
      // A new container for new settings, as docker compose does; files written inside the old one are lost.
      output.note(`Replacing the container of "${flags.name}" (${existing.settings}) with one for ${wanted}.`);
      await (await openSandbox(flags.name, { engine, logger })).vm.delete({ signal });
      existing = { ...existing, replaced: true };
    }
  }

  if (flags.rebuild) {
    await engine.removeImage(image.reference).catch(() => undefined);
  }

  const reused = existing !== undefined && existing.replaced !== true ? existing : undefined;
  const network = reused?.network ?? (await chooseNetwork(engine, flags.network));
  const hostPort = reused?.hostPort ?? flags.port ?? existing?.hostPort ?? (await freeLoopbackPort());
  const token = existing?.token ?? generateToken();
  const container = desktopContainerOptions({
    name: flags.name,
    image: image.reference,
    gpu,
    network,
    hostPort,
    token,
    width: flags.size.width,
    height: flags.size.height,
    frameRate: flags.fps,
    bitrateKbps: flags.bitrate,
    settings: wanted,
  });
  const context = await openSandbox(flags.name, { engine, container, image, logger });

  output.progress(`Starting the sandbox "${flags.name}" (image ${image.reference}, ${network} network, GPU ${gpu})`);
  const subscription = context.vm.events.subscribe((event) => view.event(event));

  try {
    await context.vm.start({ signal }).catch((error: unknown) => {
      throw interruptedOr(error, signal);
    });
  } finally {
    subscription.unsubscribe();
    view.stopBar();
  }

  const url = viewerUrl(hostPort, token);
  output.record('ready', { name: flags.name, viewerUrl: url, host: '127.0.0.1', port: hostPort, image: image.reference, network, gpu });
  output.result(`The sandbox "${flags.name}" is ready.`);
  output.result(`Viewer: ${url}`);
  output.result('Stop it with: deskvm down');

  return EXIT.ok;
}

/** The settings of an existing container of this sandbox, read from its labels and environment. */
interface ExistingSandbox {
  readonly network: NetworkMode;
  readonly hostPort: number;
  readonly token: string;
  readonly settings: string;
  readonly running: boolean;
  /** Set once `up` has removed the container to create it again. */
  readonly replaced?: boolean;
}

/**
 * Reads the settings of this sandbox's existing container, so that `up` reuses its token and port. Raises
 * `CLI_ERR_FOREIGN_CONTAINER` for a container of that name that deskvm did not create.
 */
async function existingSettings(engine: DockerEngine, name: string): Promise<ExistingSandbox | undefined> {
  const context = await openSandbox(name, { engine });
  const facts = await context.vm.inspect();

  if (facts === undefined) {
    return undefined;
  }

  requireOwnContainer(facts, name);
  const hostPort = Number(facts.labels[LABELS.hostPort]);
  const token = facts.environment['DESKVM_TOKEN'];

  if (!Number.isInteger(hostPort) || token === undefined) {
    throw new CliError(
      'CLI_ERR_FOREIGN_CONTAINER',
      `The container ${facts.name} lacks the port label or the token of deskvm up. Remove it with deskvm down --name ${name}, then run deskvm up.`,
    );
  }

  return {
    network: facts.network,
    hostPort,
    token,
    settings: facts.labels[LABELS.settings] ?? `image ${facts.image}`,
    running: facts.state === 'running',
  };
}

/** Returns true when the existing container was made with other settings than this `up` requests. */
function differs(existing: ExistingSandbox, wanted: string, flags: UpFlags): boolean {
  const portChanged = flags.port !== undefined && flags.port !== existing.hostPort;
  const networkChanged = flags.network !== 'auto' && flags.network !== existing.network;

  return existing.settings !== wanted || portChanged || networkChanged;
}

async function chooseNetwork(engine: DockerEngine, requested: 'auto' | NetworkMode): Promise<NetworkMode> {
  if (requested !== 'auto') {
    return requested;
  }

  return (await engine.info()).hasBridgeNetwork ? 'bridge' : 'host';
}
