import { startBridge, gstreamerSource, x11Desktop, type Bridge, type DesktopControl, type FrameSourceFactory } from '@deskvm/desktop-bridge';
import type { PipelineDescription } from '@deskvm/gst-pipeline';

import type { Logger } from '../logger.js';
import { isLoopback } from './serve-options.js';
import { createViewerSite } from './viewer-site.js';
import { startXDesktop, type XDesktop } from './x-desktop.js';

/** Settings of {@link runServe}, already validated. */
export interface ServeSettings {
  readonly width: number;
  readonly height: number;
  /** Frames per second. */
  readonly frameRate: number;
  /** Encoder bitrate in kbit/s. */
  readonly bitrateKbps: number;
  readonly host: string;
  readonly port: number;
  readonly source: 'desktop' | 'test-pattern';
  readonly json: boolean;
  readonly token: string;
  /**
   * Whether the token came from DESKVM_TOKEN. The caller then knows it already, so the ready output leaves it out:
   * a ready line in a log (such as a container's) must not carry it.
   */
  readonly tokenFromEnvironment?: boolean;
  /** Origins besides the bridge's own that may open the stream, such as a forwarded port. */
  readonly allowedOrigins: readonly string[];
  /** The folder for the X cookie, for programs started later with a fixed XAUTHORITY; default a private temp folder. */
  readonly xAuthorityFolder?: string;
  /** The X display number; default the lowest free one. */
  readonly displayNumber?: number;
}

/**
 * Returns the pipeline that `deskvm serve` runs: ximagesrc on `display`, or a test pattern without one, encoded with
 * x264. The command validates it with a placeholder display before it starts anything.
 */
export function servePipeline(settings: ServeSettings, display: string | undefined): PipelineDescription {
  return {
    source: display === undefined ? { kind: 'videotestsrc', pattern: 'ball' } : { kind: 'ximagesrc', display },
    width: settings.width,
    height: settings.height,
    frameRate: settings.frameRate,
    bitrateKbps: settings.bitrateKbps,
    encoder: { kind: 'x264enc' },
  };
}

/**
 * Runs `deskvm serve` until SIGINT, SIGTERM or SIGHUP, or until Xvfb exits. Returns the exit status: 0 after a
 * requested stop, 1 when the desktop died. Everything it started is stopped before it returns.
 */
export async function runServe(settings: ServeSettings, logger: Logger): Promise<number> {
  if (!isLoopback(settings.host)) {
    process.stderr.write(
      `deskvm: warning: listening on ${settings.host} exposes the desktop to other machines; only the token protects it.\n`,
    );
  }

  let desktop: XDesktop | undefined;
  let bridge: Bridge | undefined;
  const stopped = waitForStopSignal();
  try {
    if (settings.source === 'desktop') {
      desktop = await startXDesktop({
        width: settings.width,
        height: settings.height,
        authorityFolder: settings.xAuthorityFolder,
        displayNumber: settings.displayNumber,
        logger,
      });
    }

    const control = desktop === undefined ? undefined : await connectDesktop(desktop, logger);
    bridge = await startBridge({
      token: settings.token,
      source: serveSource(settings, desktop, control, logger),
      desktop: control,
      frameRate: { numerator: settings.frameRate, denominator: 1 },
      host: settings.host,
      port: settings.port,
      allowedOrigins: settings.allowedOrigins,
      handleRequest: createViewerSite(),
      logger,
    });

    printReady(settings, bridge, desktop);
    const endings: Promise<'signal' | 'desktop-exited'>[] = [stopped.promise];
    if (desktop !== undefined) {
      endings.push(desktop.exited.then(() => 'desktop-exited' as const));
    }
    const reason = await Promise.race(endings);
    if (reason === 'desktop-exited') {
      process.stderr.write('deskvm: Xvfb exited unexpectedly; stopping.\n');
      return 1;
    }
    return 0;
  } finally {
    stopped.dispose();
    desktop?.beginStop();
    await bridge?.close();
    await desktop?.stop();
  }
}

/**
 * Opens the X11 control of the desktop, with Xvfb's start size as the largest size a resize can set. Without it the
 * stream still runs, but viewers cannot act on the desktop.
 */
async function connectDesktop(desktop: XDesktop, logger: Logger): Promise<DesktopControl | undefined> {
  try {
    const control = await x11Desktop({ display: desktop.display, xauthorityPath: desktop.xauthority, logger });
    return { ...control, maxSize: () => desktop.maxSize };
  } catch (error) {
    logger.error('desktop control unavailable: input, clipboard and resize are off', {
      display: desktop.display,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/**
 * Returns the bridge's source factory. For a desktop it builds the pipeline at each start from the desktop's size
 * now, so a restart after a resize captures and encodes the new size.
 */
function serveSource(
  settings: ServeSettings,
  desktop: XDesktop | undefined,
  control: DesktopControl | undefined,
  logger: Logger,
): FrameSourceFactory {
  if (desktop === undefined || control?.size === undefined) {
    return gstreamerSource(servePipeline(settings, undefined), { logger });
  }

  const size = control.size.bind(control);

  return () => {
    const { width, height } = size();
    const description = servePipeline({ ...settings, width, height }, desktop.display);

    return gstreamerSource(description, { logger, env: { XAUTHORITY: desktop.xauthority } })();
  };
}

function printReady(settings: ServeSettings, bridge: Bridge, desktop: XDesktop | undefined): void {
  const origin = `http://${browsableHost(bridge.host)}:${bridge.port}`;
  const ready = {
    event: 'ready',
    viewerUrl: settings.tokenFromEnvironment === true ? `${origin}/` : `${origin}/#token=${encodeURIComponent(settings.token)}`,
    streamUrl: bridge.streamUrl,
    healthUrl: `${origin}/health`,
    token: settings.tokenFromEnvironment === true ? null : settings.token,
    display: desktop?.display ?? null,
    xauthority: desktop?.xauthority ?? null,
    width: settings.width,
    height: settings.height,
    frameRate: settings.frameRate,
  };
  if (settings.json) {
    process.stdout.write(`${JSON.stringify(ready)}\n`);
    return;
  }

  const streamed = desktop === undefined ? 'a test pattern' : `the desktop ${desktop.display}`;
  process.stdout.write(
    `deskvm is streaming ${streamed} at ${settings.width}x${settings.height}, ${settings.frameRate} fps.\n` +
      `Viewer: ${ready.viewerUrl}${settings.tokenFromEnvironment === true ? '#token=<DESKVM_TOKEN>' : ''}\n` +
      `Stream: ${ready.streamUrl} (token in the deskvm.token.<token> subprotocol or an Authorization: Bearer header)\n` +
      'Press Ctrl+C to stop.\n',
  );
}

/** Returns the host part of a URL for a listen address; a wildcard address is reached through loopback. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0') {
    return '127.0.0.1';
  }
  if (host === '::') {
    return '[::1]';
  }
  return host.includes(':') ? `[${host}]` : host;
}

function waitForStopSignal(): { promise: Promise<'signal'>; dispose: () => void } {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let onSignal: () => void = () => undefined;
  const promise = new Promise<'signal'>((resolve) => {
    onSignal = () => resolve('signal');
  });
  // `on`, not `once`: execa 9 kills its subprocesses on exit through signal-exit 4, which re-raises a signal when it
  // is the only listener left, and a `once` listener has already removed itself by the time signal-exit checks.
  for (const signal of signals) {
    process.on(signal, onSignal);
  }
  return {
    promise,
    dispose: () => {
      for (const signal of signals) {
        process.off(signal, onSignal);
      }
    },
  };
}
