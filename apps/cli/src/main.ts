#!/usr/bin/env node
import { createProgram, runProgram } from './program.js';
import { createDoctorCommand } from './sandbox/doctor-command.js';
import { createDownCommand } from './sandbox/down-command.js';
import { createExecCommand } from './sandbox/exec-command.js';
import { createImageCommand } from './sandbox/image-command.js';
import { createLogsCommand } from './sandbox/logs-command.js';
import { createStatusCommand } from './sandbox/status-command.js';
import { createUpCommand } from './sandbox/up-command.js';
import { createViewCommand } from './sandbox/view-command.js';
import { createServeCommand } from './serve/serve-command.js';

const program = createProgram('deskvm', "Run an AI agent's desktop in a sandbox and stream it to any web page.", [
  createUpCommand(),
  createDownCommand(),
  createStatusCommand(),
  createExecCommand(),
  createLogsCommand(),
  createViewCommand(),
  createDoctorCommand(),
  createImageCommand(),
  createServeCommand(),
]);

await runProgram(program, process.argv);
