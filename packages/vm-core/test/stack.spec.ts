import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  diagnoseStack,
  parseComposePs,
  runLocal,
  runStages,
  stackStages,
  stackStatus,
  startStack,
  type CommandRunner,
  type DesktopContainerSpec,
} from '../src/index.js';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { rejection } from './support/rejection.js';

// NOTE: no Docker engine runs on the test machine, so these tests put a stand-in `docker` script first on PATH. It
// records each argv and stdin and prints output in the format of Docker Compose 2.21+. These tests check what the stack
// operations send through `run` and how they parse the output, not Docker itself.
const STAND_IN_DOCKER = `#!/bin/sh
n=$(ls "$RECORD_DIR" | grep -c '^argv-')
for argument in "$@"; do printf '%s\\0' "$argument"; done > "$RECORD_DIR/argv-$n"
case " $* " in
  *" up "*) cat > "$RECORD_DIR/stdin-$n"; [ -n "$FAIL_UP" ] && { echo "Error: pull access denied" >&2; exit 1; }; exit 0 ;;
  *" ps "*) cat "$RECORD_DIR/ps-output" 2>/dev/null; exit 0 ;;
  *" logs "*) echo "desktop-1  | bridge listening on 9876"; exit 0 ;;
esac
[ "$1" = info ] && { echo 28.2.2; exit 0; }
exit 2
`;

describe('stack operations through run', () => {
  let folder: string;
  let recordDirectory: string;
  let runner: CommandRunner;
  const spec: DesktopContainerSpec = { project: 'deskvm', image: 'deskvm/desktop:0.1.0', gpu: 'dri', ports: [{ container: 9876, host: 41080 }] };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'vm-core-stack-'));
    recordDirectory = join(folder, 'record');
    await writeFile(join(folder, 'docker'), STAND_IN_DOCKER);
    await chmod(join(folder, 'docker'), 0o755);
    await rm(recordDirectory, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(recordDirectory));

    const env = { PATH: `${folder}:${process.env.PATH ?? ''}`, RECORD_DIR: recordDirectory };

    runner = { run: (command, options) => runLocal(command, { ...options, env: { ...env, ...options?.env } }) };
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function recordedArgv(index: number): Promise<string[]> {
    return (await readFile(join(recordDirectory, `argv-${index}`), 'utf8')).split('\0').slice(0, -1);
  }

  it('starts the stack with the compose file on stdin', async () => {
    await startStack(runner, spec);

    expect(await recordedArgv(0)).toEqual([
      'compose', '--project-name', 'deskvm', '--file', '-', 'up', '--detach', '--remove-orphans',
    ]);

    const composeFile = await readFile(join(recordDirectory, 'stdin-0'), 'utf8');

    expect(composeFile).toContain('127.0.0.1:41080:9876');
    expect(composeFile).toContain('/dev/dri:/dev/dri');
  });

  it('quotes compose stderr when up fails', async () => {
    const failing: CommandRunner = { run: (command, options) => runner.run(command, { ...options, env: { FAIL_UP: '1' } }) };

    const error = await rejection(startStack(failing, spec));

    expect(error).toMatchObject({ code: 'VM_ERR_BACKEND' });
    expect(error.message).toContain('exit code 1');
    expect(error.message).toContain('pull access denied');
  });

  it('reads the container status', async () => {
    await writeFile(
      join(recordDirectory, 'ps-output'),
      '{"Service":"desktop","Name":"deskvm-desktop-1","State":"running","Health":"healthy","ExitCode":0}\n',
    );

    expect(await stackStatus(runner, 'deskvm')).toEqual([
      { service: 'desktop', name: 'deskvm-desktop-1', state: 'running', health: 'healthy', exitCode: 0 },
    ]);
  });

  it('collects status and logs as diagnostics', async () => {
    await writeFile(join(recordDirectory, 'ps-output'), '{"Service":"desktop","Name":"deskvm-desktop-1","State":"exited","ExitCode":137}\n');

    const diagnostics = await diagnoseStack(runner, 'deskvm', 10);

    expect(diagnostics.containerStatus).toBe('desktop deskvm-desktop-1 exited exit 137');
    expect(diagnostics.logTail).toContain('bridge listening on 9876');
    expect(await recordedArgv(1)).toEqual(['compose', '--project-name', 'deskvm', 'logs', '--no-color', '--tail', '10']);
  });

  it('names the desktop stage with diagnostics when the container exits', async () => {
    await writeFile(join(recordDirectory, 'ps-output'), '{"Service":"desktop","Name":"deskvm-desktop-1","State":"exited","ExitCode":1}\n');

    const error = await rejection(runStages(stackStages(runner, spec, { engineMs: 2000, desktopMs: 300 })));

    expect(error).toMatchObject({ code: 'VM_ERR_STAGE_FAILED', stage: 'desktop' });
    expect(error.diagnostics.containerStatus).toContain('exited exit 1');
    expect((await readdir(recordDirectory)).filter((name) => name.startsWith('stdin-'))).toHaveLength(1);
  });

  it('parses the JSON array of older Compose versions', () => {
    expect(parseComposePs('[{"Service":"desktop","Name":"d","State":"running","Health":"","ExitCode":0}]')).toEqual([
      { service: 'desktop', name: 'd', state: 'running', health: '', exitCode: 0 },
    ]);
    expect(parseComposePs('')).toEqual([]);
  });
});
