#!/usr/bin/env node
import { createProgram, runProgram } from './program.js';
import { createServeCommand } from './serve/serve-command.js';

const program = createProgram('deskvm', "Run an AI agent's desktop in a sandbox and stream it to any web page.", [
  createServeCommand(),
]);

await runProgram(program, process.argv);
