import { Token } from 'aws-cdk-lib';
import { show } from './format';
import { issue, ValidationIssue } from './issue';

/**
 * What is known, at synth, about how an endpoint is bound to its plan: facts
 * that only the construct tree holds (the plan construct, the stack's
 * environment, other constructs in the app).
 */
export interface PlanBinding {
  /** Whether the endpoint is created in this deploy. */
  readonly deployEndpoint: boolean;
  /** The plan's ARN, possibly a token. */
  readonly planArn: string;
  /** false when the plan is a dry-run TrainingPlanReservation, which never exists. */
  readonly planPurchased?: boolean;
  /** false when the plan is a TrainingPlanReservation in this app that does not wait for Active. */
  readonly planWaitsForActive?: boolean;
  /** The endpoint stack's environment; tokens for an environment-agnostic stack. */
  readonly stack: { readonly partition: string; readonly region: string; readonly account: string };
  /** Path of another endpoint in the app already bound to the same plan. */
  readonly planUsedBy?: string;
}

const ARN = /^arn:([^:]+):sagemaker:([^:]*):([^:]*):training-plan\//;

/**
 * Checks the binding of an endpoint to its plan. An endpoint on a plan that
 * is never bought, that may still be Scheduled, that lives in another
 * region, account or partition, or that another endpoint already uses,
 * would fail at deploy after the plan had been paid for.
 */
export function validatePlanBinding(b: PlanBinding): ValidationIssue[] {
  if (!b.deployEndpoint) {
    return [];
  }
  const issues: ValidationIssue[] = [];
  if (b.planPurchased === false) {
    issues.push(issue('trainingPlan',
      'trainingPlan is a dry run (purchase: false), which never buys a plan, so no endpoint can run on it; got a dry-run TrainingPlanReservation. ' +
      'Set purchase: true on it, or deployEndpoint: false here.'));
  }
  if (b.planWaitsForActive === false) {
    issues.push(issue('trainingPlan',
      'trainingPlan must wait for its plan to be Active when an endpoint is deployed on it in the same app: an endpoint cannot use a Scheduled plan; ' +
      'got a TrainingPlanReservation with waitForActive unset or false. Set waitForActive: true on it, or deployEndpoint: false here.'));
  }
  if (b.planUsedBy !== undefined) {
    issues.push(issue('trainingPlan',
      `trainingPlan is already bound to the endpoint ${b.planUsedBy}; a training plan serves one endpoint, and two would compete for the same reserved instances. ` +
      'Reserve a plan for each endpoint.'));
  }
  const m = Token.isUnresolved(b.planArn) ? null : ARN.exec(b.planArn);
  if (m) {
    const [, partition, region, account] = m;
    const mismatch = (what: string, planValue: string, stackValue: string) => {
      if (!Token.isUnresolved(stackValue) && planValue !== stackValue) {
        issues.push(issue('trainingPlan',
          `trainingPlan must be in the endpoint's ${what} (${show(stackValue)}), as SageMaker binds an endpoint only to a plan of its own ${what}; got a plan in ${show(planValue)} (${b.planArn}).`));
      }
    };
    mismatch('partition', partition, b.stack.partition);
    mismatch('region', region, b.stack.region);
    mismatch('account', account, b.stack.account);
  }
  return issues;
}
