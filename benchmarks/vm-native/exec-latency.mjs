// `exec` through the Docker API (vm-native's NativeVm.exec, in process) against `docker exec` from the Docker CLI,
// the same command in the same container, in the same run. Also `deskvm exec` as a whole command, which adds a
// Node.js start. Run from the repository root after `npm run build`, with the sandbox up (`deskvm up`):
//   node benchmarks/vm-native/exec-latency.mjs [count=30] [name=default]
import { execa } from 'execa';

import { createProcessInspector } from '@deskvm/vm-core';
import { connectEngine, containerName, createNativeVm } from '@deskvm/vm-native';

import { formatNumber, median, percentile, printTable } from '../stream/support/statistics.mjs';

const count = Number(process.argv[2] ?? 30);
const name = process.argv[3] ?? 'default';
const argv = ['true'];

const engine = await connectEngine();
const vm = createNativeVm({
  name,
  engine,
  container: { spec: { project: containerName(name), image: 'unused', gpu: 'none' }, network: 'host' },
  image: { reference: 'unused', ensure: () => Promise.reject(new Error('the sandbox must exist: run deskvm up')) },
  bridge: { containerPort: 1 },
  lockDirectory: '/nonexistent',
  inspector: createProcessInspector(),
});

if ((await vm.inspect())?.state !== 'running') {
  console.error(`The sandbox "${name}" does not run: start it with node apps/cli/dist/main.js up --name ${name}`);
  process.exit(1);
}

async function time(run) {
  const samples = [];
  await run(); // warm-up, not counted
  for (let i = 0; i < count; i += 1) {
    const startedAt = performance.now();
    await run();
    samples.push(performance.now() - startedAt);
  }
  return samples;
}

const dockerHost = engine.address;
const cases = [
  ['Docker API (NativeVm.exec)', () => vm.exec(argv)],
  ['docker exec (CLI)', () => execa('docker', ['--host', dockerHost, 'exec', containerName(name), ...argv])],
  ['deskvm exec (CLI)', () => execa('node', ['apps/cli/dist/main.js', 'exec', '--name', name, '--', ...argv], { env: { DOCKER_HOST: dockerHost } })],
];

const rows = [['case', 'median (ms)', 'p95 (ms)']];
const medians = {};
for (const [label, run] of cases) {
  const samples = await time(run);
  medians[label] = median(samples);
  rows.push([label, formatNumber(median(samples)), formatNumber(percentile(samples, 95))]);
}

console.log(`${count} runs of ${JSON.stringify(argv)} each, sandbox "${name}", engine ${dockerHost}`);
printTable(rows);
console.log(
  `ratio of medians, docker CLI / Docker API: ${formatNumber(medians['docker exec (CLI)'] / medians['Docker API (NativeVm.exec)'], 2)} (target at least 5)`,
);
