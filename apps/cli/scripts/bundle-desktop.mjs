// Builds the in-sandbox bundle: dist/desktop/deskvm-desktop.mjs (the `deskvm serve` entry for Node 18), beside it
// exec-agent.mjs (vm-native's exec agent, which NativeVm.exec runs through one Docker exec) and viewer/ with the viewer
// page's files and the stream-client player bundle. Run by the nx `bundle` target.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const appFolder = new URL('../', import.meta.url);
const outputFolder = new URL('dist/desktop/', appFolder);
const viewerFolder = new URL('viewer/', outputFolder);
const playerBundle = new URL('../../packages/stream-client/dist/browser/deskvm-player.js', appFolder);
const viewerFiles = ['viewer.html', 'viewer.css', 'viewer.js'];

const { version } = JSON.parse(await readFile(new URL('package.json', appFolder), 'utf8'));

await rm(outputFolder, { recursive: true, force: true });
await mkdir(viewerFolder, { recursive: true });

// Both entries run on the Node.js 18 of the desktop image (Debian 12).
const nodeBundle = {
  bundle: true,
  // Paths in the metafile are relative to apps/cli, wherever the script is started from.
  absWorkingDir: fileURLToPath(appFolder),
  platform: 'node',
  target: 'node18',
  format: 'esm',
  metafile: true,
  logLevel: 'warning',
};

const result = await build({
  ...nodeBundle,
  entryPoints: [fileURLToPath(new URL('src/desktop-main.ts', appFolder))],
  outfile: fileURLToPath(new URL('deskvm-desktop.mjs', outputFolder)),
  conditions: ['@deskvm/source'],
  // ws and x11 are CommonJS and call require() for Node built-ins, which an ES module has no binding for.
  banner: { js: "import { createRequire as deskvmCreateRequire } from 'node:module';\nconst require = deskvmCreateRequire(import.meta.url);" },
  // ws loads these optional native add-ons in a try/catch and works without them, so they stay out of the bundle.
  external: ['bufferutil', 'utf-8-validate'],
  define: { DESKVM_BUNDLE_VERSION: JSON.stringify(version) },
});

// The agent uses only Node.js built-ins, so it needs neither the require banner nor externals.
const agentResult = await build({
  ...nodeBundle,
  entryPoints: [fileURLToPath(new URL('../../packages/vm-native/src/exec-channel/agent-main.ts', appFolder))],
  outfile: fileURLToPath(new URL('exec-agent.mjs', outputFolder)),
});

await writeFile(new URL('dist/exec-agent-meta.json', appFolder), JSON.stringify(agentResult.metafile));

// Kept outside dist/desktop, which is copied into the image as it is. The bundle tests read it.
await writeFile(new URL('dist/desktop-meta.json', appFolder), JSON.stringify(result.metafile));

for (const name of viewerFiles) {
  await copyFile(new URL(`assets/${name}`, appFolder), new URL(name, viewerFolder));
}

try {
  await copyFile(playerBundle, new URL('deskvm-player.js', viewerFolder));
} catch (error) {
  throw new Error(
    `The player bundle ${fileURLToPath(playerBundle)} is missing. Build it first: npx nx run @deskvm/stream-client:bundle.`,
    { cause: error },
  );
}
