import { Arn, ArnFormat, CfnOutput, CustomResource, Duration, Fn, Names, Resource, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { OWNER_TAG_KEY, RESERVATION_RESOURCE_TYPE, ReservationAttribute, ReservationResourceProperties } from './contract';
import { ReservedInstanceType } from './instance-type';
import { OfferingSelection } from './offering-selection';
import { derivePlanName } from './plan-name';
import { ReservationProvider } from './reservation-provider';
import { ITrainingPlan, TrainingPlanAttributes } from './training-plan';
import { TrainingPlanReservationProps } from './training-plan-props';
import { isValidatedByParent } from './validated-by-parent';
import { planNameFromArn } from '../validation/arn-rules';
import { attachValidation } from '../validation/attach';
import { claim, environmentKey } from '../validation/claims';
import { validateTrainingPlanAttributes } from '../validation/plan-attributes-rules';
import { validateReservation } from '../validation/reservation-rules';

/**
 * A SageMaker training plan bought at deploy time.
 *
 * The purchase is a custom resource whose handler buys at most once: it looks
 * the plan up by its deterministic name first and adopts a matching plan
 * instead of buying again, buys only within `maxUpfrontFee`, and never
 * cancels anything (a plan cannot be cancelled): deleting this construct
 * leaves the plan, charged, until its window ends.
 *
 * @resource Custom::SageMakerTrainingPlanReservation
 */
export class TrainingPlanReservation extends Resource implements ITrainingPlan {
  /**
   * Binds a plan bought earlier, by ARN. Its instance type and count are not
   * known at synth, so an endpoint on it must state them.
   */
  public static fromTrainingPlanArn(scope: Construct, id: string, trainingPlanArn: string): ITrainingPlan {
    return TrainingPlanReservation.fromTrainingPlanAttributes(scope, id, { trainingPlanArn });
  }

  /**
   * Binds a plan bought earlier and states what it reserves, so that synth
   * can refuse an endpoint of another type or of more instances.
   */
  public static fromTrainingPlanAttributes(scope: Construct, id: string, attrs: TrainingPlanAttributes): ITrainingPlan {
    return new ImportedTrainingPlan(scope, id, attrs);
  }

  /** @attribute */
  public readonly trainingPlanArn: string;
  /** @attribute */
  public readonly trainingPlanName: string;
  public readonly instanceType?: ReservedInstanceType;
  public readonly instanceCount?: number;

  /**
   * When the plan's window starts (ISO-8601).
   * @attribute
   */
  public readonly startTime: string;
  /**
   * When the plan's window ends (ISO-8601).
   * @attribute
   */
  public readonly endTime: string;
  /**
   * What the plan cost, as the service states it (a decimal string).
   * @attribute
   */
  public readonly upfrontFee: string;
  /**
   * The currency of `upfrontFee`.
   * @attribute
   */
  public readonly currencyCode: string;
  /**
   * The availability zone of the reserved capacity.
   * @attribute
   */
  public readonly availabilityZone: string;
  /**
   * The plan's status when the deploy completed (`DryRun` for a dry run).
   * @attribute
   */
  public readonly status: string;
  /**
   * A one-line, human-readable account of what was bought or, in a dry run,
   * what would be bought.
   * @attribute
   */
  public readonly report: string;

  /** Whether this reservation buys (false for a dry run). */
  public readonly purchase: boolean;
  /** Whether the deploy waits for the plan to be Active. */
  public readonly waitForActive: boolean;

  private readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: TrainingPlanReservationProps) {
    super(scope, id);
    // JavaScript callers can pass nothing; validation reports it, and the
    // construct must get that far without a TypeError.
    props = props ?? ({} as TrainingPlanReservationProps);
    if (!isValidatedByParent(props)) {
      attachValidation(this, validateReservation(props, new Date()));
    }

    const stack = Stack.of(this);
    const provider = ReservationProvider.getOrCreate(this);
    const planName = props.planName ?? derivePlanName(stack.stackName, this.node.path);
    if (props.planName !== undefined) {
      provider.grantPlanName(props.planName);
    }
    if (!Token.isUnresolved(planName)) {
      const holder = claim(this, `plan-name:${environmentKey(stack)}:${planName}`);
      if (holder !== undefined) {
        attachValidation(this, {
          errors: [{
            property: 'planName',
            message: `planName must be unique in its account and region, as it is the purchase's idempotency key; got ${JSON.stringify(planName)}, which ${holder} uses too. `
            + 'The second reservation would adopt the first one\'s plan, or fail, instead of buying its own.',
          }],
          warnings: [],
        });
      }
    }

    this.instanceType = props.instanceType;
    this.instanceCount = props.instanceCount;
    this.purchase = props.purchase ?? true;
    this.waitForActive = props.waitForActive ?? false;

    const userTags = Object.entries(props.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    const properties: Omit<ReservationResourceProperties, 'ServiceToken'> = {
      PlanName: planName,
      InstanceType: props.instanceType?.name ?? '',
      InstanceCount: Tokenization.stringifyNumber(props.instanceCount),
      DurationHours: durationHours(props.duration),
      EarliestStart: props.earliestStart,
      LatestEnd: props.latestEnd,
      MaxUpfrontFee: Tokenization.stringifyNumber(props.maxUpfrontFee),
      CurrencyCode: props.currencyCode ?? 'USD',
      Selection: props.selection ?? OfferingSelection.CHEAPEST,
      RequireActive: String(this.waitForActive),
      Purchase: String(this.purchase),
      WaitBudgetSeconds: String(provider.waitBudget.toSeconds()),
      Tags: [{ Key: OWNER_TAG_KEY, Value: `${stack.stackName}/${Names.nodeUniqueId(this.node)}`.slice(0, 256) }, ...userTags],
    };

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: RESERVATION_RESOURCE_TYPE,
      properties: { ...properties },
    });

    this.trainingPlanArn = this.resource.getAttString(ReservationAttribute.PLAN_ARN);
    this.trainingPlanName = planName;
    this.startTime = this.resource.getAttString(ReservationAttribute.START_TIME);
    this.endTime = this.resource.getAttString(ReservationAttribute.END_TIME);
    this.upfrontFee = this.resource.getAttString(ReservationAttribute.UPFRONT_FEE);
    this.currencyCode = this.resource.getAttString(ReservationAttribute.CURRENCY_CODE);
    this.availabilityZone = this.resource.getAttString(ReservationAttribute.AVAILABILITY_ZONE);
    this.status = this.resource.getAttString(ReservationAttribute.STATUS);
    this.report = this.resource.getAttString(ReservationAttribute.REPORT);

    if (!this.purchase) {
      // A pipeline can show this to a person before a second deploy buys.
      new CfnOutput(this, 'DryRunReport', {
        description: `What ${this.node.path} would buy; nothing was bought.`,
        value: this.report,
      });
    }
  }
}

/**
 * Hours of a duration for the handler; a duration that is not whole hours is
 * passed on as given and refused by synth validation.
 */
function durationHours(duration: Duration | undefined): string {
  try {
    if (duration!.isUnresolved()) {
      return Tokenization.stringifyNumber(duration!.toHours());
    }
    return String(duration!.toHours({ integral: false }));
  } catch {
    // Missing, not a Duration, or a token that is not in hours: validation
    // reports it, and synth fails before this value reaches a template.
    return '';
  }
}

class ImportedTrainingPlan extends Resource implements ITrainingPlan {
  public readonly trainingPlanArn: string;
  public readonly trainingPlanName: string;
  public readonly instanceType?: ReservedInstanceType;
  public readonly instanceCount?: number;

  constructor(scope: Construct, id: string, attrs: TrainingPlanAttributes) {
    super(scope, id, { environmentFromArn: Token.isUnresolved(attrs.trainingPlanArn) ? undefined : safeEnvironment(attrs.trainingPlanArn) });
    attachValidation(this, validateTrainingPlanAttributes(attrs));
    this.trainingPlanArn = attrs.trainingPlanArn;
    this.trainingPlanName = Token.isUnresolved(attrs.trainingPlanArn)
      ? Fn.select(1, Fn.split('training-plan/', attrs.trainingPlanArn))
      : planNameFromArn(attrs.trainingPlanArn) ?? '';
    this.instanceType = attrs.instanceType;
    this.instanceCount = attrs.instanceCount;
  }
}

/** The ARN's account and region, or undefined when the ARN is too malformed to split. */
function safeEnvironment(arn: string): string | undefined {
  try {
    Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
    return arn;
  } catch {
    return undefined;
  }
}
