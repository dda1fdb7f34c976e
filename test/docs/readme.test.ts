import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CheckoutService } from '../../examples/attach-compensator.js';
import { ControlPlaneStack } from '../../lib/control-plane-stack.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('README', () => {
  it('shows the attach-a-compensator sample exactly as the compiled example file', () => {
    const sample = readFileSync(new URL('examples/attach-compensator.ts', root), 'utf8').trim();
    expect(readme).toContain(sample);
  });

  it('gives the set-up as npm install, npm start and npm test', () => {
    expect(readme).toMatch(/npm install\s*\nnpm start/);
    expect(readme).toContain('npm test');
    expect(readme).toContain('npx cdk deploy');
  });

  it('the sample synthesizes: alarms on the alias and a registered policy', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'micromotion-readme-'));
    try {
      const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
      const controlPlane = new ControlPlaneStack(app, 'Micromotion');
      const service = new CheckoutService(app, 'Checkout', { controlPlane });
      const template = Template.fromStack(service);
      // p95, p99, error rate, PC spillover and the middleware's cold starts.
      template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/micromotion/targets/checkout' });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
