/** Builds the micromotion CDK app (shared by `bin/app.ts` and the cdk-nag gate `bin/synth-check.ts`). */
import type { App } from 'aws-cdk-lib';
import { ControlPlaneStack } from './control-plane-stack.js';
import { ExampleServiceStack } from './example-service-stack.js';

export interface MicromotionApp {
  readonly controlPlane: ControlPlaneStack;
  readonly example: ExampleServiceStack;
}

/** Adds the control plane (`Micromotion`) and the example service (`MicromotionExample`) to `app`. */
export function buildMicromotionApp(app: App): MicromotionApp {
  // The example service stack references the control plane's handler roles (grants live with the Compensator).
  // Lock in CloudFormation exports ("strong") explicitly rather than relying on the default.
  const referencesKey = '@aws-cdk/core:defaultCrossStackReferences';
  if (app.node.tryGetContext(referencesKey) === undefined) app.node.setContext(referencesKey, 'strong');
  const controlPlane = new ControlPlaneStack(app, 'Micromotion', {
    description: 'micromotion control plane: corrects small Lambda deviations under guardrails',
  });
  const example = new ExampleServiceStack(app, 'MicromotionExample', {
    description: 'micromotion example service: one alias with a Compensator attached',
    controlPlane,
  });
  return { controlPlane, example };
}
