#!/usr/bin/env node
// The entry of the in-sandbox bundle (dist/desktop/deskvm-desktop.mjs): only `deskvm serve`, so the bundle carries no
// Docker client and no VM backend. It runs on Node 18, the nodejs of Debian 12.
import { createProgram, runProgram } from './program.js';
import { createServeCommand } from './serve/serve-command.js';

/** apps/cli's version, written in by the bundler (esbuild `define`). It is undefined when this file runs unbundled. */
declare const DESKVM_BUNDLE_VERSION: string | undefined;

const bundledVersion = typeof DESKVM_BUNDLE_VERSION === 'string' ? DESKVM_BUNDLE_VERSION : undefined;

const program = createProgram(
  'deskvm',
  "Serve an AI agent's desktop from inside its sandbox.",
  [createServeCommand()],
  bundledVersion,
);

await runProgram(program, process.argv);
