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
             With --json or --quiet, a run longer than 2 s reports progress on stderr.
  actions    List a target's ledger records (against AWS; uses the default credentials).
               --table NAME      the ledger table (stack output LedgerTableName)
               --target NAME     the compensator's target name
               --limit N         newest N records (default 20)
  pause      Pause a target (or every target) so the loop holds instead of acting.
               --table NAME      the ledger table
               --target NAME | --global
               --reason TEXT     recorded with the switch
  resume     Undo pause; same options.
  backtest   Replay recorded metrics through detection and the policy, offline, and list what
             the loop would have done, when and why. Nothing is actuated; no AWS calls.
               --metrics FILE.json   a CloudWatch GetMetricData response (one, or an array of pages),
                                     query Ids = signal names (p95DurationMillis, invocations, errors,
                                     p99DurationMillis, coldStarts, concurrentExecutions, pcUtilization,
                                     pcSpilloverInvocations, throttles); either timestamp order
               --metrics SIGNAL=FILE.csv   one CSV per signal, header "timestamp,value", ISO 8601
                                     times with a zone, strictly increasing; repeat the option
               --metrics DIR         a directory of <signal>.csv files
                                     required signals: p95DurationMillis, invocations, errors
               --target NAME         the compensator's target name
               --policy FILE         the target policy JSON as the Compensator registers it in SSM
                                     default: the construct's default guardrails and detection
                                     (cooldown 600 s, 4 actions/h, min confidence 0.6, window 30 min,
                                     history 360 min) at the export's period; function NAME, alias
                                     live; PC bounds 0..50 step 10, no flags; SLO from the export's
                                     first 30 min: p95 2x its median, errors 2x its rate (>= 1 %)
               --provisioned-concurrency N   PC configured when the export starts
                                     default: the policy's minimum
               --json                print the machine-readable report
             Evaluates at the end of every period once the export covers the diagnosis window
             (the earliest an alarm or review could have started the loop). Exit code 2 on bad input.
  help       Show this help.

The benchmark (every scenario under every strategy, tables, --json, --report FILE.html) is
\`npm run bench\`; \`npm run bench -- --help\` lists its options.
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
    metrics: { type: 'string', multiple: true },
    policy: { type: 'string' },
    'provisioned-concurrency': { type: 'string' },
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
