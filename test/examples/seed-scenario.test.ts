import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, Phase } from '../../examples/seed-scenario/evaluation-stack';
import { STRICT_VALIDATION } from '../constructs/fixtures';

/**
 * The seed scenario, synthesised as `cdk synth` would (strict built-in
 * validator and cdk-nag AwsSolutions as a validation plugin), then linted by
 * cfn-lint, a checker nobody here wrote.
 */
function synthPhase(phase: Phase): { template: Template; file: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `seed-${phase}-`));
  const app = new App({ outdir, context: STRICT_VALIDATION });
  const stack = buildApp(app, phase);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  const file = path.join(assembly.directory, stack.templateFile);
  return { template: Template.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8'))), file };
}

describe.each<Phase>(['reserve', 'serve'])('seed scenario, %s phase', (phase) => {
  let synthesised: { template: Template; file: string };

  beforeAll(() => {
    // Throws on any unacknowledged cdk-nag finding or strict-validator finding.
    synthesised = synthPhase(phase);
  });

  test('synthesises with no unacknowledged cdk-nag AwsSolutions finding', () => {
    synthesised.template.resourceCountIs('Custom::SageMakerTrainingPlanReservation', 1);
  });

  test('passes cfn-lint with no errors', () => {
    const result = spawnSync('cfn-lint', ['--format', 'parseable', synthesised.file], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    const errors = result.stdout.split('\n').filter((l) => /:E\d{4}:/.test(l));
    expect(errors).toEqual([]);
    // cfn-lint's exit code is a bit mask: 2 means errors. Warnings (4) are
    // W3005 only: aws-cdk-lib adds DependsOn next to a GetAtt of the same role.
    // eslint-disable-next-line no-bitwise
    expect((result.status ?? 0) & 2).toBe(0);
    const warnings = new Set(result.stdout.split('\n').map((l) => /:(W\d{4}):/.exec(l)?.[1]).filter(Boolean));
    expect([...warnings].every((w) => w === 'W3005')).toBe(true);
  });

  test(phase === 'serve' ? 'binds the endpoint to the plan' : 'deploys no endpoint', () => {
    synthesised.template.resourceCountIs('AWS::SageMaker::Endpoint', phase === 'serve' ? 1 : 0);
  });
});
