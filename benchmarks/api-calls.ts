/**
 * SageMaker API calls per successful deploy of one reservation, counted on the
 * local emulator through the real handler, gateway and SDK (the Provider
 * framework played by the test driver, with production timings: a poll every
 * minute).
 *
 *   npx ts-node --project test/tsconfig.json benchmarks/api-calls.ts
 *
 * Rows: a clean deploy; the same with a single throttled call on each
 * operation; a Create delivered twice. Exits non-zero if a deploy does not
 * succeed with exactly one purchase.
 */
import { FaultRule } from '../test/emulator';
import { HandlerRig, offering, reservationProps } from '../test/handler-emulator/harness';
import { CfnOutcome } from '../test/support/provider-driver';

const OPERATIONS = ['SearchTrainingPlanOfferings', 'CreateTrainingPlan', 'DescribeTrainingPlan'] as const;

interface Row {
  readonly scenario: string;
  readonly counts: Record<string, number>;
  readonly total: number;
  readonly purchases: number;
  readonly polls: number;
  readonly outcome: string;
}

async function measure(rig: HandlerRig, scenario: string, fault: FaultRule | undefined, deliveries: number): Promise<Row> {
  rig.reset();
  rig.emulator.setCatalogue([
    offering({ offeringId: 'tpo-bench-a', upfrontFee: '41000.00' }),
    offering({ offeringId: 'tpo-bench-b', upfrontFee: '44000.00', availabilityZone: 'us-west-2c' }),
  ]);
  if (fault) {
    rig.emulator.inject(fault);
  }
  const driver = rig.driver();
  const event = driver.createEvent('Reservation', reservationProps());
  const outs: CfnOutcome[] = [];
  for (let i = 0; i < deliveries; i++) {
    outs.push(await driver.run(event));
  }
  const counts: Record<string, number> = {};
  for (const op of OPERATIONS) {
    counts[op] = rig.calls(op).length;
  }
  const ok = outs.every((o) => o.status === 'SUCCESS') && new Set(outs.map((o) => o.physicalResourceId)).size === 1;
  return {
    scenario,
    counts,
    total: rig.emulator.calls.length,
    purchases: rig.emulator.purchases(),
    polls: outs.reduce((s, o) => s + o.polls, 0),
    outcome: ok ? `SUCCESS ${outs[0].data.Status}` : `FAILED: ${outs.find((o) => o.status === 'FAILED')?.reason ?? 'ids differ'}`,
  };
}

function table(rows: Row[]): string {
  const header = ['scenario', 'Search', 'Create', 'Describe', 'total', 'purchases', 'polls', 'outcome'];
  const cells = rows.map((r) => [
    r.scenario,
    ...OPERATIONS.map((op) => String(r.counts[op])),
    String(r.total),
    String(r.purchases),
    String(r.polls),
    r.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => (i === 0 || i === c.length - 1 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

async function main(): Promise<number> {
  const rig = await HandlerRig.start();
  try {
    const rows = [
      await measure(rig, 'clean deploy', undefined, 1),
      await measure(rig, 'one throttled Search', { operation: 'SearchTrainingPlanOfferings', kind: 'throttle' }, 1),
      await measure(rig, 'one throttled Create', { operation: 'CreateTrainingPlan', kind: 'throttle' }, 1),
      await measure(rig, 'one throttled Describe', { operation: 'DescribeTrainingPlan', kind: 'throttle' }, 1),
      await measure(rig, 'Create delivered twice', undefined, 2),
    ];
    console.log('SageMaker API calls per successful deploy (1 reservation; Create, then isComplete every minute until Scheduled)\n');
    console.log(table(rows));
    const bad = rows.filter((r) => !r.outcome.startsWith('SUCCESS') || r.purchases !== 1);
    for (const r of bad) {
      console.error(`unexpected: ${r.scenario}: ${r.purchases} purchase(s), ${r.outcome}`);
    }
    return bad.length === 0 ? 0 : 1;
  } finally {
    await rig.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
