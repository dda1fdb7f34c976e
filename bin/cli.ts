import { parseArgs } from 'node:util';
import { runCommand } from '../sim/loop/cli-commands.js';

// The SDK warns on Node < 22 at client creation; the local tooling runs on Node 20 by design.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = `micromotion — corrects small Lambda deviations automatically and safely

Usage: micromotion <command> [options]

Commands:
  simulate   Run the whole loop locally against the simulated account.
               --scenario FILE   scenario file (JSON or YAML; schema: sim/scenario.schema.json)
                                 default: sim/scenarios/cold-start-burst.json
               --json            print the machine-readable result only
               --quiet           print the summary without the timeline
  actions    List a target's ledger records (against AWS; uses the default credentials).
               --table NAME      the ledger table (stack output LedgerTableName)
               --target NAME     the compensator's target name
               --limit N         newest N records (default 20)
  pause      Pause a target (or every target) so the loop holds instead of acting.
               --table NAME      the ledger table
               --target NAME | --global
               --reason TEXT     recorded with the switch
  resume     Undo pause; same options.
  help       Show this help.
`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: 'string' },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    table: { type: 'string' },
    target: { type: 'string' },
    global: { type: 'boolean', default: false },
    reason: { type: 'string' },
    limit: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const command = positionals[0] ?? 'help';
if (values.help || command === 'help') {
  process.stdout.write(HELP);
} else {
  try {
    process.exitCode = await runCommand(command, values);
  } catch (error) {
    const e = error as Error;
    process.stderr.write(`micromotion ${command}: ${e.name}: ${e.message}\n`);
    process.exitCode = 2;
  }
}
