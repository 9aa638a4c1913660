import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { isAccordError } from '#common';
import { registerAdminCommands } from '../../admin/src/cli.js';
import { registerConsortiumCommands } from './commands/consortium.js';
import { registerDevnetCommand } from './commands/devnet.js';
import { registerGenesisCommands } from './commands/genesis.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerTxCommands } from './commands/tx.js';
import { registerValidatorCommands } from './commands/validator.js';

/** The `accord` command line. */
export function buildProgram(): Command {
  const program = new Command('accord').description('Accord consortium blockchain').version('0.1.0').showHelpAfterError();
  registerDevnetCommand(program);
  registerKeyCommands(program);
  registerGenesisCommands(program);
  registerTxCommands(program);
  registerValidatorCommands(program);
  registerAdminCommands(program);
  registerConsortiumCommands(program);
  return program;
}

/** Runs the CLI; errors with codes print as `error CODE: message` and exit 1. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (isAccordError(error)) console.error(`error ${error.code}: ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  }
}
