/**
 * Entry of the exec agent bundle (`exec-agent.mjs`), started by `ExecChannel` through one Docker exec with stdin and
 * stdout attached. Frames travel on stdin and stdout; stderr carries diagnostics only.
 */
import { runExecAgent } from './agent.js';

runExecAgent({
  input: process.stdin,
  output: process.stdout,
  diagnostics: process.stderr,
  exit: (code) => process.exit(code),
});
