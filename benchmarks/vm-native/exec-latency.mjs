// Times `exec` in four ways, with the same command in the same container in one run. NativeVm.exec goes through the
// exec channel (one persistent Docker exec running the agent) or through a Docker exec per command. `docker exec`
// runs from the Docker CLI, and `deskvm exec` runs as a whole command, which adds a Node.js start. Run from the
// repository root after `npm run build`, with the sandbox up (`deskvm up`) on an image that contains
// /opt/deskvm/exec-agent.mjs:
//   node benchmarks/vm-native/exec-latency.mjs [count=30] [name=default]
import { execa } from 'execa';

import { createProcessInspector } from '@deskvm/vm-core';
import { DESKTOP_EXEC_AGENT } from '@deskvm/rootfs';
import { connectEngine, containerName, createNativeVm } from '@deskvm/vm-native';

import { formatNumber, median, percentile, printTable } from '../stream/support/statistics.mjs';

const count = Number(process.argv[2] ?? 30);
const name = process.argv[3] ?? 'default';
const argv = ['true'];

const engine = await connectEngine();
const vmOptions = {
  name,
  engine,
  container: { spec: { project: containerName(name), image: 'unused', gpu: 'none' }, network: 'host' },
  image: { reference: 'unused', ensure: () => Promise.reject(new Error('the sandbox must exist: run deskvm up')) },
  bridge: { containerPort: 1 },
  lockDirectory: '/nonexistent',
  inspector: await createProcessInspector(),
};
const vm = createNativeVm(vmOptions);
const channelVm = createNativeVm({ ...vmOptions, execAgent: { argv: ['node', DESKTOP_EXEC_AGENT] } });

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
const CHANNEL = 'exec channel (NativeVm.exec)';
const DOCKER_API = 'Docker exec API (NativeVm.exec)';
const DOCKER_CLI = 'docker exec (CLI)';
const cases = [
  [CHANNEL, () => channelVm.exec(argv)],
  [DOCKER_API, () => vm.exec(argv)],
  [DOCKER_CLI, () => execa('docker', ['--host', dockerHost, 'exec', containerName(name), ...argv])],
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
console.log(`ratio of medians, docker CLI / exec channel: ${formatNumber(medians[DOCKER_CLI] / medians[CHANNEL], 2)} (target at least 5)`);
console.log(`ratio of medians, docker CLI / Docker exec API: ${formatNumber(medians[DOCKER_CLI] / medians[DOCKER_API], 2)}`);
await channelVm.close();
