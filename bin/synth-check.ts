/**
 * The cdk-nag gate (`npm run synth:nag`): synthesizes the app in-process with the AwsSolutions pack,
 * validates the workflow's ASL, and exits non-zero with a readable list of unacknowledged findings.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import aslValidator from 'asl-validator';
import type { CfnResource } from 'aws-cdk-lib';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type IApplyRule, NagRuleCompliance } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildMicromotionApp } from '../lib/app.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../lib/local-synth.js';

interface ReportViolation {
  readonly ruleName: string;
  readonly description?: string;
  readonly severity?: string;
  readonly violatingResources?: readonly {
    readonly constructPath?: string;
    readonly resourceLogicalId?: string;
  }[];
  readonly violatingConstructs?: readonly {
    readonly constructPath?: string;
    readonly resourceLogicalId?: string;
  }[];
  readonly suppressed?: unknown;
}
interface PluginReport {
  readonly summary?: { readonly pluginName?: string; readonly status?: string };
  readonly violations?: readonly ReportViolation[];
  readonly suppressedViolations?: readonly ReportViolation[];
  readonly [key: string]: unknown;
}

/** One acknowledged finding that the pack actually raised (cdk-nag 3 leaves these out of the report). */
interface AcknowledgedFinding {
  readonly id: string;
  readonly path: string;
  readonly reason: string;
}

/** The AwsSolutions pack, counting the findings that an acknowledgement silenced. */
class CountingAwsSolutionsChecks extends AwsSolutionsChecks {
  public readonly acknowledged: AcknowledgedFinding[] = [];

  protected override applyRule(params: IApplyRule): void {
    const ruleId = `${this.packName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    const rule = params.rule;
    const counting = Object.defineProperty(
      (node: CfnResource) => {
        const result = rule(node);
        const ids =
          result === NagRuleCompliance.NON_COMPLIANT
            ? [ruleId]
            : Array.isArray(result)
              ? result.map((finding) => `${ruleId}[${finding}]`)
              : [];
        for (const id of ids) {
          const reason = acknowledgement(node, id);
          if (reason !== undefined) this.acknowledged.push({ id, path: node.node.path, reason });
        }
        return result;
      },
      'name',
      { value: rule.name },
    ) as IApplyRule['rule'];
    super.applyRule({ ...params, rule: counting });
  }
}

/** The reason `id` is acknowledged on `node` or an ancestor, or `undefined`. */
function acknowledgement(node: IConstruct, id: string): string | undefined {
  for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [key, value] of Object.entries(entry.data as Record<string, unknown>)) {
        if (key.replace(/^annotation::/i, '') !== id) continue;
        const reason = typeof value === 'string' ? value : (value as { reason?: string } | null)?.reason;
        return reason ?? '';
      }
    }
  }
  return undefined;
}

const started = Date.now();
const outdir = mkdtempSync(path.join(tmpdir(), 'micromotion-nag-'));
let exitCode = 0;
try {
  const app = new App({ outdir });
  const { controlPlane } = buildMicromotionApp(app);
  const pack = new CountingAwsSolutionsChecks(app);
  Validations.of(app).addPlugins(pack);

  const asl = controlPlane.definitionAsl((intrinsic) => {
    const ref = intrinsic.Ref;
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::Region') return LOCAL_REGION;
    if (ref === 'AWS::AccountId') return LOCAL_ACCOUNT;
    const getAtt = intrinsic['Fn::GetAtt'];
    const name = String(Array.isArray(getAtt) ? getAtt[0] : ref);
    return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
  });
  const asl1 = aslValidator(structuredClone(asl));
  if (!asl1.isValid) {
    console.error(`✕ The workflow's ASL is invalid:\n  ${asl1.errorsText('\n  ')}`);
    exitCode = 1;
  } else {
    console.log(`✓ ASL valid (${Object.keys(asl.States).length} states)`);
  }

  let synthError: unknown;
  try {
    app.synth();
  } catch (e) {
    synthError = e;
  }
  const reportFile = path.join(outdir, 'validation-report.json');
  if (!existsSync(reportFile)) {
    if (synthError) throw synthError;
    console.log('✓ cdk-nag (AwsSolutions): no findings');
  } else {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      readonly pluginReports?: readonly PluginReport[];
    };
    const { open } = summarize(report.pluginReports ?? []);
    if (open.length > 0) {
      console.error(`✕ cdk-nag: ${open.length} unacknowledged finding(s):`);
      for (const line of open) console.error(`  - ${line}`);
      exitCode = 1;
    } else if (synthError) {
      throw synthError;
    } else {
      console.log('✓ cdk-nag (AwsSolutions): no unacknowledged findings');
    }
  }
  printAcknowledged(pack.acknowledged);
} catch (e) {
  console.error('✕ synth failed:', e instanceof Error ? e.message : e);
  exitCode = 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(exitCode);

function printAcknowledged(findings: readonly AcknowledgedFinding[]): void {
  const byRule = new Map<string, number>();
  for (const f of findings) {
    const rule = f.id.replace(/\[.*$/, '');
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
  }
  const rules = [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([rule, n]) => `${rule} ×${n}`);
  console.log(`  acknowledged: ${findings.length} finding(s)${rules.length ? ` (${rules.join(', ')})` : ''}`);
  if (process.env.NAG_VERBOSE) {
    for (const f of findings) console.log(`    ${f.id} at ${f.path}: ${f.reason}`);
  }
}

function summarize(reports: readonly PluginReport[]): { open: string[] } {
  const open: string[] = [];
  for (const r of reports) {
    for (const v of r.violations ?? []) {
      const resources = v.violatingResources ?? v.violatingConstructs ?? [];
      for (const res of resources.length > 0 ? resources : [{}]) {
        open.push(
          `${v.ruleName} at ${res.constructPath ?? res.resourceLogicalId ?? '?'}: ${firstLine(v.description)}`,
        );
      }
    }
  }
  return { open };
}

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0] ?? '';
}
