import { Command } from 'commander';

import { createCommandOutput, type CommandOutput } from './command-output.js';
import { desktopImageSource } from './desktop-image.js';
import { checkEncoders, checkEngine, checkGpu, checkImageBuild, checkNode, type DoctorCheck } from './doctor-checks.js';
import { EXIT } from './exit-codes.js';
import { reportError } from './report-error.js';
import { openSandbox, sandboxNameOption } from './sandbox-context.js';
import { dataDirectory } from '@deskvm/vm-core';

interface DoctorFlags {
  readonly name: string;
  readonly json: boolean;
}

/** Creates `deskvm doctor`. */
export function createDoctorCommand(): Command {
  return new Command('doctor')
    .description(
      'Check what deskvm needs and say what is missing and why: Node.js, the Docker engine, the desktop image, GPU ' +
        'devices, and which H.264 encoders work (probed in the running sandbox, else on this machine).',
    )
    .addOption(sandboxNameOption())
    .option('--json', 'print one JSON object with every check instead of text', false)
    .addHelpText('after', `\nExit status: 0 when nothing failed (warnings allowed), ${EXIT.doctor} when a check failed.`)
    .action(async (flags: DoctorFlags) => {
      const output = createCommandOutput(flags.json);
      try {
        const checks = await runChecks(flags.name);
        printChecks(output, checks);
        process.exitCode = checks.some((check) => check.status === 'fail') ? EXIT.doctor : EXIT.ok;
      } catch (error) {
        process.exitCode = reportError(error, output);
      }
    });
}

async function runChecks(name: string): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [checkNode()];
  const engine = await checkEngine();
  checks.push(engine.check);

  let running;
  let imageExists: boolean | undefined;
  if (engine.engine !== undefined) {
    const context = await openSandbox(name, { engine: engine.engine });
    running = (await context.vm.inspect())?.state === 'running' ? context.vm : undefined;
    imageExists = await localImageExists(engine.engine).catch(() => undefined);
  }

  checks.push(await checkImageBuild(imageExists));
  checks.push(await checkGpu(engine.engine));
  checks.push(await checkEncoders(running));

  return checks;
}

async function localImageExists(engine: NonNullable<Awaited<ReturnType<typeof checkEngine>>['engine']>): Promise<boolean> {
  const source = await desktopImageSource({ dataDirectory: dataDirectory(), onProgress: () => undefined });

  return engine.imageExists(source.reference);
}

function printChecks(output: CommandOutput, checks: readonly DoctorCheck[]): void {
  if (output.json) {
    const ok = !checks.some((check) => check.status === 'fail');
    process.stdout.write(`${JSON.stringify({ ok, checks })}\n`);
    return;
  }

  const { colors } = output;
  const marks = { ok: colors.green('ok  '), warn: colors.yellow('warn'), fail: colors.red('FAIL') };

  for (const check of checks) {
    output.result(`${marks[check.status]} ${check.id.padEnd(9)} ${check.summary}`);
    for (const line of check.details) {
      output.result(`               ${line}`);
    }
    if (check.fix !== undefined && check.status !== 'ok') {
      output.result(`               fix: ${check.fix}`);
    }
  }
}
