/**
 * The main job, end to end, on this machine: synthesise the seed scenario's
 * two phases with the CDK CLI (strict template validation and cdk-nag on),
 * lint both templates with cfn-lint, then play both phases' custom-resource
 * lifecycles through the bundled handler assets against the embedded
 * SageMaker emulator, moving its clock to the window's start for phase two.
 *
 *   npm run demo
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SageMakerEmulator } from '../../test/emulator';
import { ProviderFrameworkDriver, UserHandlers } from '../../test/support/provider-driver';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, '.demo-out');
const STACK = 'FineTuneEvaluation';
const RESERVATION_TYPE = 'Custom::SageMakerTrainingPlanReservation';

type Template = { Resources: Record<string, { Type: string; Properties?: any }> };

function step(title: string): void {
  console.log(`\n== ${title}`);
}

function fail(message: string): never {
  console.error(`\nDEMO FAILED: ${message}`);
  process.exit(1);
}

function synth(phase: string): Promise<Template> {
  const out = path.join(OUT, phase);
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', 'synth', '--quiet', '-c', `phase=${phase}`, '-o', out], {
      cwd: __dirname,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`cdk synth (${phase}) failed with exit code ${code}:\n${log}`));
        return;
      }
      resolve(JSON.parse(fs.readFileSync(path.join(out, `${STACK}.template.json`), 'utf8')));
    });
  });
}

function cfnLint(phase: string): void {
  const file = path.join(OUT, phase, `${STACK}.template.json`);
  const result = spawnSync('cfn-lint', ['--format', 'parseable', file], { encoding: 'utf8' });
  if (result.error) fail(`cfn-lint could not run: ${result.error.message}`);
  const lines = result.stdout.split('\n').filter((l) => l.trim().length > 0);
  const errors = lines.filter((l) => /:E\d{4}:/.test(l));
  const warnings = lines.filter((l) => /:W\d{4}:/.test(l));
  // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
  // eslint-disable-next-line no-bitwise
  if ((result.status ?? 0) & 2 || errors.length > 0) fail(`cfn-lint found errors in the ${phase} template:\n${errors.join('\n')}`);
  console.log(`cfn-lint ${phase}: 0 errors, ${warnings.length} warnings (${[...new Set(warnings.map((w) => /:(W\d{4}):/.exec(w)?.[1] ?? w))].join(', ') || 'none'}: redundant DependsOn emitted by aws-cdk-lib)`);
}

function reservationOf(template: Template): { logicalId: string; props: Record<string, unknown> } {
  const entries = Object.entries(template.Resources).filter(([, r]) => r.Type === RESERVATION_TYPE);
  if (entries.length !== 1) fail(`expected one ${RESERVATION_TYPE}, found ${entries.length}`);
  const [logicalId, resource] = entries[0];
  const { ServiceToken: _token, ...props } = resource.Properties;
  return { logicalId, props };
}

function loadHandlers(): UserHandlers {
  const asset = (name: string) => path.join(ROOT, 'assets', 'reservation', name, 'index.js');
  for (const name of ['reservation-on-event.lambda', 'reservation-is-complete.lambda']) {
    if (!fs.existsSync(asset(name))) fail(`${asset(name)} is missing: run 'npx projen bundle' first`);
  }
  // The bundled assets, exactly as Lambda runs them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const onEvent = require(asset('reservation-on-event.lambda')).handler;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const isComplete = require(asset('reservation-is-complete.lambda')).handler;
  return { onEvent, isComplete };
}

async function main(): Promise<void> {
  fs.rmSync(OUT, { recursive: true, force: true });

  step('1. Synthesise both phases with the CDK CLI (strict built-in validator and cdk-nag AwsSolutions on)');
  const [reserve, serve] = await Promise.all([synth('reserve'), synth('serve')]);
  console.log(`reserve: ${Object.keys(reserve.Resources).length} resources; serve: ${Object.keys(serve.Resources).length} resources`);
  console.log('strict validator (@aws-cdk/core:validateAgainstDefaultRules + strictCfnValidateErrors): passed');
  console.log('cdk-nag AwsSolutions: no unacknowledged findings');

  step('2. Validate the templates with cfn-lint');
  cfnLint('reserve');
  cfnLint('serve');

  step('3. Start the embedded SageMaker emulator and offer capacity for late January 2027');
  const emulator = await SageMakerEmulator.start({ region: 'us-west-2', accountId: '123456789012' });
  const p5 = { instanceType: 'ml.p5.48xlarge', instanceCount: 1, durationHours: 168, targetResources: ['training-job', 'endpoint'] };
  emulator.setCatalogue([
    { ...p5, availabilityZone: 'us-west-2a', startTime: new Date('2027-01-25T00:00:00Z'), upfrontFee: '58212.48', currencyCode: 'USD' },
    { ...p5, availabilityZone: 'us-west-2b', startTime: new Date('2027-01-26T12:00:00Z'), upfrontFee: '54388.32', currencyCode: 'USD' },
    { ...p5, availabilityZone: 'us-west-2c', startTime: new Date('2027-01-27T00:00:00Z'), upfrontFee: '71500.00', currencyCode: 'USD' },
    { ...p5, availabilityZone: 'us-west-2a', startTime: new Date('2027-01-28T00:00:00Z'), upfrontFee: '49000.00', currencyCode: 'EUR' },
    { ...p5, availabilityZone: 'us-west-2d', startTime: new Date('2027-01-29T00:00:00Z'), upfrontFee: undefined, currencyCode: 'USD' },
    { ...p5, instanceType: 'ml.p5e.48xlarge', availabilityZone: 'us-west-2b', startTime: new Date('2027-01-25T00:00:00Z'), upfrontFee: '64000.00', currencyCode: 'USD' },
  ]);
  process.env.AWS_ENDPOINT_URL_SAGEMAKER = emulator.endpoint;
  process.env.AWS_REGION = 'us-west-2';
  process.env.AWS_ACCESS_KEY_ID = 'demo';
  process.env.AWS_SECRET_ACCESS_KEY = 'demo';
  console.log(`emulator: ${emulator.endpoint}, clock ${emulator.now().toISOString()}, 6 offerings`);

  try {
    const handlers = loadHandlers();
    const driver = new ProviderFrameworkDriver(handlers, { onWait: (ms) => emulator.advance(ms) });

    step('4. Phase 1, reserve ahead (deployEndpoint: false): CloudFormation Create');
    const phase1 = reservationOf(reserve);
    const created = await driver.create(phase1.logicalId, phase1.props);
    if (created.status !== 'SUCCESS') fail(`phase 1 failed: ${created.reason}`);
    const d1 = created.data;
    console.log(`offering chosen: ${d1.OfferingId} in ${d1.AvailabilityZone}`);
    console.log(`fee:             ${d1.UpfrontFee} ${d1.CurrencyCode} (budget ${phase1.props.MaxUpfrontFee} ${phase1.props.CurrencyCode})`);
    console.log(`window:          ${d1.StartTime} -> ${d1.EndTime}`);
    console.log(`plan ARN:        ${d1.TrainingPlanArn}`);
    console.log(`status:          ${d1.Status} after ${created.polls} isComplete poll(s)`);

    step('5. Phase 2, at the window\'s start: move the clock and deploy the endpoint on the same plan (CloudFormation Update)');
    emulator.setTime(new Date(d1.StartTime));
    console.log(`emulator clock:  ${emulator.now().toISOString()}`);
    const phase2 = reservationOf(serve);
    if (phase2.logicalId !== phase1.logicalId) fail('the reservation changed logical id between phases');
    const updated = await driver.update(phase2.logicalId, created.physicalResourceId, phase2.props, phase1.props);
    if (updated.status !== 'SUCCESS') fail(`phase 2 failed: ${updated.reason}`);
    if (updated.physicalResourceId !== created.physicalResourceId) fail('phase 2 changed the physical id');
    console.log(`plan status:     ${updated.data.Status} (same plan, same physical id)`);

    const configs = Object.entries(serve.Resources).filter(([, r]) => r.Type === 'AWS::SageMaker::EndpointConfig');
    if (configs.length !== 1) fail(`expected one endpoint config in the serve template, found ${configs.length}`);
    const variant = configs[0][1].Properties.ProductionVariants[0];
    const resolve = (v: any): any => (v && v['Fn::GetAtt'] && v['Fn::GetAtt'][0] === phase2.logicalId ? updated.data[v['Fn::GetAtt'][1]] : v);
    const capacity = Object.fromEntries(Object.entries(variant.CapacityReservationConfig).map(([k, v]) => [k, resolve(v)]));
    console.log(`endpoint config ${configs[0][0]}: ${variant.InitialInstanceCount} x ${variant.InstanceType}, variant ${variant.VariantName}`);
    console.log(`CapacityReservationConfig: ${JSON.stringify(capacity, null, 2)}`);
    if (capacity.MlReservationArn !== d1.TrainingPlanArn) fail('MlReservationArn is not the plan bought in phase 1');
    if (variant.InstanceType !== d1.InstanceType) fail(`endpoint type ${variant.InstanceType} differs from the plan's ${d1.InstanceType}`);

    step('Summary');
    const bought = emulator.plans();
    console.log(`purchases made: ${bought.length} (phase 2 adopted the plan and bought nothing)`);
    console.log(`SageMaker calls: ${emulator.calls.length} (${[...new Set(emulator.calls.map((c) => c.operation))].join(', ')})`);
    if (bought.length !== 1) fail(`expected exactly one purchase, saw ${bought.length}`);
    console.log('\ndemo: OK');
  } finally {
    await emulator.stop();
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
