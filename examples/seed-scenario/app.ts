#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, Phase } from './evaluation-stack';

const app = new App();
const phase = (app.node.tryGetContext('phase') ?? 'reserve') as Phase;
if (phase !== 'reserve' && phase !== 'serve') {
  throw new Error(`context phase must be "reserve" or "serve"; got ${JSON.stringify(phase)}`);
}
buildApp(app, phase);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
