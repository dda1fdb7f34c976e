/** The CDK app (`cdk.json` "app"). */
import { App } from 'aws-cdk-lib';
import { buildMicromotionApp } from '../lib/app.js';

const app = new App();
buildMicromotionApp(app);
app.synth();
