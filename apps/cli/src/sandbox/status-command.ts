import { Command } from 'commander';

import type { VmState } from '@deskvm/vm-core';
import type { ContainerFacts } from '@deskvm/vm-native';

import { createCommandOutput, type CommandOutput } from './command-output.js';
import { EXIT } from './exit-codes.js';
import { reportError } from './report-error.js';
import { openSandbox, sandboxNameOption } from './sandbox-context.js';

interface StatusFlags {
  readonly name: string;
  readonly json: boolean;
}

/** Creates `deskvm status`. */
export function createStatusCommand(): Command {
  return new Command('status')
    .description('Show the state of the sandbox, from live checks of the engine, the container and the bridge.')
    .addOption(sandboxNameOption())
    .option('--json', 'print one JSON object (the format is stable) instead of text', false)
    .addHelpText(
      'after',
      '\nStates: stopped, starting, running, stopping, error. The exit status is 0 whenever the state could be read.',
    )
    .action(async (flags: StatusFlags) => {
      const output = createCommandOutput(flags.json);
      try {
        const context = await openSandbox(flags.name);
        const [state, facts] = await Promise.all([context.vm.status(), context.vm.inspect()]);
        printStatus(output, flags, context.engine.address, state, facts);
        process.exitCode = EXIT.ok;
      } catch (error) {
        process.exitCode = reportError(error, output);
      }
    });
}

function printStatus(output: CommandOutput, flags: StatusFlags, engine: string, state: VmState, facts: ContainerFacts | undefined): void {
  const container =
    facts === undefined
      ? null
      : {
          id: facts.id,
          name: facts.name,
          image: facts.image,
          state: facts.state,
          health: facts.health ?? null,
          exitCode: facts.exitCode ?? null,
          startedAt: facts.startedAt ?? null,
          network: facts.network,
          bridge: facts.bridgeAddress === undefined ? null : `${facts.bridgeAddress.host}:${facts.bridgeAddress.port}`,
        };

  if (output.json) {
    process.stdout.write(`${JSON.stringify({ name: flags.name, engine, ...state, container })}\n`);
    return;
  }

  const { colors } = output;
  let stateText: string = state.state;
  if (state.state === 'running') {
    stateText = colors.green(state.state);
  } else if (state.state === 'error') {
    stateText = colors.red(state.state);
  }
  output.result(`sandbox   ${flags.name}: ${stateText}`);

  if (state.state === 'starting') {
    output.result(`          started by pid ${state.pid}${state.stage === undefined ? '' : `, stage ${state.stage}`}`);
  } else if (state.state === 'running') {
    const flagsText = Object.entries(state.readiness)
      .map(([name, ready]) => `${name} ${ready ? colors.green('yes') : colors.red('no')}`)
      .join(', ');
    output.result(`ready     ${flagsText}`);
  } else if (state.state === 'error') {
    output.result(`error     ${state.code}${state.stage === undefined ? '' : ` at stage ${state.stage}`}: ${state.message}`);
    for (const [name, text] of Object.entries(state.diagnostics)) {
      if (text !== undefined && text !== '') {
        output.result(`${name}:\n${text.trimEnd().replace(/^/gm, '  ')}`);
      }
    }
  }

  output.result(`engine    ${engine}`);
  if (container !== null) {
    const health = container.health === null ? '' : `, ${container.health}`;
    output.result(`container ${container.name} (${container.state}${health}), image ${container.image}, ${container.network} network`);
    if (container.bridge !== null && container.state === 'running') {
      output.result(`bridge    http://${container.bridge}/ (deskvm view prints the address with the token)`);
    }
  }
}
