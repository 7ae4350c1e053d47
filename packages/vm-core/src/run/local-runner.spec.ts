import { readFileSync } from 'node:fs';
import { access, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../process/process-inspector.js';
import { VmError } from '../errors.js';
import { runLocal } from './local-runner.js';
import { describe, expect, it } from '@jest/globals';

const HOSTILE_ARGUMENTS = [
  'plain',
  'two words',
  "single 'quotes'",
  'double "quotes"',
  '$(touch /tmp/deskvm-should-not-exist)',
  '`id`',
  'line one\nline two',
  'ünïcødé ✓ 日本語 🙂',
  '; rm -rf / #',
  '$HOME',
  '*',
  '',
  '-n',
  '\\back\\slash',
];

// An orphaned grandchild is reaped by pid 1, which may take a moment, so a zombie (state Z) counts as ended.
function hasEnded(pid: number): boolean {
  if (process.platform !== 'linux') {
    return !isAlive(pid);
  }

  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/s, ')'));
  } catch {
    return true;
  }
}

/** Polls `hasEnded` for up to `timeoutMs`, because a killed process takes a moment to become a zombie. */
async function endsWithin(pid: number, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;

  while (!hasEnded(pid)) {
    if (Date.now() > deadline) {
      return false;
    }

    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  return true;
}

async function expectVmError(promise: Promise<unknown>, code: string): Promise<VmError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );

  expect(error).toBeInstanceOf(VmError);
  expect((error as VmError).code).toBe(code);

  return error as VmError;
}

describe('runLocal', () => {
  it('passes hostile argv elements literally', async () => {
    const result = await runLocal({
      kind: 'argv',
      argv: ['node', '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...HOSTILE_ARGUMENTS],
    });

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(HOSTILE_ARGUMENTS);
    await expect(access('/tmp/deskvm-should-not-exist')).rejects.toThrow();
  });

  it('passes hostile script arguments as positional parameters', async () => {
    const result = await runLocal({
      kind: 'script',
      script: 'for argument in "$@"; do printf "%s\\0" "$argument"; done',
      args: HOSTILE_ARGUMENTS,
    });

    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGUMENTS);
  });

  it('runs a script with stdin from a private file', async () => {
    const before = (await readdir(tmpdir())).filter((name) => name.startsWith('deskvm-script-'));
    const result = await runLocal({ kind: 'script', script: 'tr a-z A-Z; echo "$1"', args: ['arg'] }, { stdin: 'hello\n' });
    const after = (await readdir(tmpdir())).filter((name) => name.startsWith('deskvm-script-'));

    expect(result.stdout).toBe('HELLO\narg\n');
    expect(after).toEqual(before);
  });

  it('sets env and cwd', async () => {
    const directory = await realpath(await mkdtemp(join(tmpdir(), 'vm-core-cwd-')));

    try {
      const result = await runLocal(
        { kind: 'argv', argv: ['sh', '-c', 'printf "%s|%s" "$DESKVM_TEST_VALUE" "$(pwd)"'] },
        { env: { DESKVM_TEST_VALUE: 'a b $(c)' }, cwd: directory },
      );

      expect(result.stdout).toBe(`a b $(c)|${directory}`);
    } finally {
      await rm(directory, { recursive: true });
    }
  });

  it('returns a non-zero exit code without rejecting', async () => {
    const result = await runLocal({ kind: 'argv', argv: ['sh', '-c', 'echo oops >&2; exit 3'] });

    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeUndefined();
    expect(result.stderr).toBe('oops\n');
  });

  it('returns the signal that ended the command', async () => {
    const result = await runLocal({ kind: 'argv', argv: ['sh', '-c', 'kill -TERM $$'] });

    expect(result.exitCode).toBeUndefined();
    expect(result.signal).toBe('SIGTERM');
  });

  it('streams output without collecting it', async () => {
    const chunks: string[] = [];
    const result = await runLocal(
      { kind: 'argv', argv: ['sh', '-c', 'echo one; echo two'] },
      { output: 'stream', onStdout: (chunk) => chunks.push(Buffer.from(chunk).toString()) },
    );

    expect(chunks.join('')).toBe('one\ntwo\n');
    expect(result.stdout).toBe('');
  });

  it('keeps only the newest collected bytes', async () => {
    const result = await runLocal({ kind: 'argv', argv: ['sh', '-c', 'printf 0123456789'] }, { maxCollectBytes: 4 });

    expect(result.stdout).toBe('6789');
  });

  // 'é', '✓' and '😀' are 2, 3 and 4 bytes, so the nine limits below cut the 9-byte pattern at each of its offsets.
  it('keeps whole characters when output exceeds the limit', async () => {
    const pattern = 'é✓😀';
    const script = `for (let i = 0; i < 2000; i += 1) process.stdout.write(${JSON.stringify(pattern)}); process.stdout.write('end')`;
    const fullOutput = Buffer.from(`${pattern.repeat(2000)}end`);

    for (let maxCollectBytes = 4000; maxCollectBytes < 4009; maxCollectBytes += 1) {
      const result = await runLocal({ kind: 'argv', argv: ['node', '-e', script] }, { maxCollectBytes });
      const keptBytes = fullOutput.subarray(fullOutput.length - maxCollectBytes);
      const firstCharacter = keptBytes.findIndex((byte) => (byte & 0xc0) !== 0x80);

      expect(result.stdout.startsWith('\uFFFD')).toBe(false);
      expect(result.stdout.endsWith(`${pattern}end`)).toBe(true);
      expect(result.stdout).toBe(keptBytes.subarray(firstCharacter).toString('utf8'));
    }
  });

  it('raises COMMAND_NOT_STARTED for a missing executable', async () => {
    const error = await expectVmError(
      runLocal({ kind: 'argv', argv: ['/nonexistent/deskvm-no-such-program'] }),
      'VM_ERR_COMMAND_NOT_STARTED',
    );

    expect(error.message).toContain('/nonexistent/deskvm-no-such-program');
  });

  it('raises COMMAND_TIMED_OUT and leaves no process', async () => {
    const pids: number[] = [];
    const error = await expectVmError(
      runLocal(
        { kind: 'argv', argv: ['sh', '-c', 'echo $$; exec sleep 30'] },
        { timeoutMs: 300, onStdout: (chunk) => pids.push(Number(Buffer.from(chunk).toString().trim())) },
      ),
      'VM_ERR_COMMAND_TIMED_OUT',
    );

    expect(error.message).toContain('300 ms');
    expect(pids).toHaveLength(1);
    expect(isAlive(pids[0]!)).toBe(false);
  });

  // The grandchild keeps stdout open: unless its group is ended, `run` waits the full 30 s and the sleep lives on.
  it('ends a grandchild on timeout', async () => {
    const pids: number[] = [];

    await expectVmError(
      runLocal(
        { kind: 'script', script: 'sleep 30 & echo $!; wait' },
        { timeoutMs: 300, onStdout: (chunk) => pids.push(Number(Buffer.from(chunk).toString().trim())) },
      ),
      'VM_ERR_COMMAND_TIMED_OUT',
    );

    expect(pids).toHaveLength(1);
    expect(await endsWithin(pids[0]!)).toBe(true);
  }, 10_000);

  it('kills a SIGTERM-ignoring group after the grace', async () => {
    const pids: number[] = [];

    await expectVmError(
      runLocal(
        { kind: 'script', script: 'trap "" TERM; sleep 30 & echo $!; wait' },
        { timeoutMs: 1000, killGraceMs: 300, onStdout: (chunk) => pids.push(Number(Buffer.from(chunk).toString().trim())) },
      ),
      'VM_ERR_COMMAND_TIMED_OUT',
    );

    expect(pids).toHaveLength(1);
    expect(await endsWithin(pids[0]!)).toBe(true);
  }, 10_000);

  it('ends a grandchild on abort', async () => {
    const controller = new AbortController();
    const pids: number[] = [];
    const running = runLocal(
      { kind: 'script', script: 'sleep 30 & echo $!; wait' },
      {
        signal: controller.signal,
        onStdout: (chunk) => {
          pids.push(Number(Buffer.from(chunk).toString().trim()));
          controller.abort(new Error('user cancelled'));
        },
      },
    );

    await expectVmError(running, 'VM_ERR_COMMAND_ABORTED');

    expect(pids).toHaveLength(1);
    expect(await endsWithin(pids[0]!)).toBe(true);
  }, 10_000);

  it('names a missing working directory', async () => {
    const error = await expectVmError(
      runLocal({ kind: 'argv', argv: ['pwd'] }, { cwd: '/nonexistent/deskvm-no-such-folder' }),
      'VM_ERR_COMMAND_NOT_STARTED',
    );

    expect(error.message).toContain('working directory /nonexistent/deskvm-no-such-folder');
  });

  it('raises COMMAND_ABORTED when the signal aborts', async () => {
    const controller = new AbortController();
    const running = runLocal({ kind: 'argv', argv: ['sleep', '30'] }, { signal: controller.signal });

    setTimeout(() => controller.abort(new Error('user cancelled')), 100);

    const error = await expectVmError(running, 'VM_ERR_COMMAND_ABORTED');

    expect(error.message).toContain('user cancelled');
  });

  it('rejects an already aborted signal without starting', async () => {
    await expectVmError(
      runLocal({ kind: 'argv', argv: ['sh', '-c', 'exit 0'] }, { signal: AbortSignal.abort() }),
      'VM_ERR_COMMAND_ABORTED',
    );
  });

  it('rejects values that cannot be passed literally', async () => {
    await expectVmError(runLocal({ kind: 'argv', argv: [] }), 'VM_ERR_INVALID_ARGUMENT');
    await expectVmError(runLocal({ kind: 'argv', argv: ['echo', 'a\0b'] }), 'VM_ERR_INVALID_ARGUMENT');
    await expectVmError(runLocal({ kind: 'argv', argv: ['true'] }, { env: { 'A=B': 'x' } }), 'VM_ERR_INVALID_ARGUMENT');
    await expectVmError(runLocal({ kind: 'script', script: '  ' }), 'VM_ERR_INVALID_ARGUMENT');
    await expectVmError(runLocal({ kind: 'argv', argv: ['true'] }, { timeoutMs: -1 }), 'VM_ERR_INVALID_ARGUMENT');
  });

  it('rejects a NUL in script, shell or cwd', async () => {
    await expectVmError(runLocal({ kind: 'script', script: 'echo a\0b' }), 'VM_ERR_INVALID_ARGUMENT');
    await expectVmError(runLocal({ kind: 'script', script: 'echo a', shell: 'sh\0x' }), 'VM_ERR_INVALID_ARGUMENT');
    await expectVmError(runLocal({ kind: 'script', script: 'echo a', shell: '' }), 'VM_ERR_INVALID_ARGUMENT');
    await expectVmError(runLocal({ kind: 'argv', argv: ['pwd'] }, { cwd: '/tmp\0x' }), 'VM_ERR_INVALID_ARGUMENT');
  });

  it('rejects invalid killGraceMs and maxCollectBytes', async () => {
    const grace = await expectVmError(runLocal({ kind: 'argv', argv: ['true'] }, { killGraceMs: -1 }), 'VM_ERR_INVALID_ARGUMENT');
    const collect = await expectVmError(
      runLocal({ kind: 'argv', argv: ['true'] }, { maxCollectBytes: Number.NaN }),
      'VM_ERR_INVALID_ARGUMENT',
    );

    expect(grace.message).toContain('killGraceMs -1');
    expect(collect.message).toContain('maxCollectBytes NaN');
    await expectVmError(runLocal({ kind: 'argv', argv: ['true'] }, { maxCollectBytes: -5 }), 'VM_ERR_INVALID_ARGUMENT');
  });
});
