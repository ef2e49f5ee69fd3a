import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ReservationAttribute, ReservationAttributes, ReservationResourceProperties } from '../contract';
import { Candidate, cheapestOverBudget, filterOfferings, FilterResult, selectOffering } from './offerings';
import { adoptionProblems, adoptionRefusal, describePlan, evaluateCompletion, PlanFacts, planFacts, specProblems } from './plan-state';
import { ReservationError } from './reservation-error';
import { describeAsk, dryRunId, isDryRunId, iso, parseReservationSpec, purchaseSpecChanges, ReservationSpec } from './reservation-spec';
import { isAmbiguous, isTransient } from './retry';
import { TrainingPlanGateway } from './training-plan-gateway';

/** What the Provider framework expects back from onEvent. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** What the Provider framework expects back from isComplete. */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/** The isComplete event: the CloudFormation request merged with onEvent's answer. */
export type IsCompleteEvent = CloudFormationCustomResourceEvent & { readonly PhysicalResourceId?: string; readonly Data?: Record<string, string> };

export interface HandlerDeps {
  readonly gateway: TrainingPlanGateway;
  readonly now?: () => Date;
  readonly log?: (message: string) => void;
  /** Searches to make when the chosen offering sells out before it is bought. */
  readonly maxSearches?: number;
  /** Purchase attempts after answers that were lost in transit. */
  readonly maxPurchaseAttempts?: number;
}

/** Key of the deadline onEvent hands to isComplete through the framework. */
export const WAIT_DEADLINE_KEY = 'WaitDeadline';

/**
 * Safety margin kept off the provider's total timeout, so this handler
 * reports a plain "still Pending" instead of the framework's bare timeout.
 */
const DEADLINE_MARGIN_SECONDS = 180;

/**
 * The reservation custom resource's lifecycle.
 *
 * onEvent decides and buys; isComplete only reads. The plan name is the
 * idempotency key everywhere: before anything is bought the name is looked
 * up, and a plan found under it is adopted (when it matches) or refused
 * (when it does not), but never bought again.
 */
export class ReservationHandler {
  private readonly gateway: TrainingPlanGateway;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;
  private readonly maxSearches: number;
  private readonly maxPurchaseAttempts: number;

  constructor(deps: HandlerDeps) {
    this.gateway = deps.gateway;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log ?? ((m) => console.log(m));
    this.maxSearches = deps.maxSearches ?? 3;
    this.maxPurchaseAttempts = deps.maxPurchaseAttempts ?? 3;
  }

  public async onEvent(event: CloudFormationCustomResourceEvent): Promise<OnEventResponse> {
    switch (event.RequestType) {
      case 'Delete':
        return this.onDelete(event.PhysicalResourceId);
      case 'Create':
        return this.withDeadline(parseSpec(event.ResourceProperties), (spec) => this.createOrAdopt(spec));
      case 'Update':
        return this.onUpdate(event.PhysicalResourceId, event.ResourceProperties, event.OldResourceProperties);
      default:
        throw new ReservationError(`Unknown request type ${JSON.stringify((event as { RequestType?: string }).RequestType)}.`);
    }
  }

  public async isComplete(event: IsCompleteEvent): Promise<IsCompleteResponse> {
    if (event.RequestType === 'Delete') {
      return { IsComplete: true };
    }
    const spec = parseSpec(event.ResourceProperties);
    if (event.Data?.[ReservationAttribute.PURCHASED] === 'false') {
      // onEvent answered a dry run with its whole report; there is nothing to wait for.
      return { IsComplete: true };
    }
    const deadline = readDeadline(event.Data, this.now(), spec);
    let found;
    try {
      found = await this.gateway.describePlan(spec.planName);
    } catch (err) {
      throw explainUnexpected('DescribeTrainingPlan', spec, err,
        `the plan ${spec.planName} was bought or adopted by this deploy, but its status could not be read`);
    }
    if (!found) {
      if (this.now().getTime() >= deadline.getTime()) {
        throw new ReservationError(`Training plan ${spec.planName} was bought but the service still does not describe it at ${deadline.toISOString()}. The next deploy adopts it under the same name and buys nothing.`);
      }
      return { IsComplete: false };
    }
    const facts = planFacts(found);
    const verdict = evaluateCompletion(facts, { requireActive: spec.requireActive, now: this.now(), deadline });
    switch (verdict.kind) {
      case 'done':
        this.log(`complete: ${describePlan(facts)}`);
        return { IsComplete: true, Data: verdict.data };
      case 'wait':
        this.log(`waiting: ${verdict.reason}`);
        return { IsComplete: false };
      default:
        throw new ReservationError(verdict.message);
    }
  }

  private onDelete(physicalId: string): OnEventResponse {
    // No call is made: a plan cannot be cancelled, and a Delete that fails or
    // waits would block the stack's deletion for an hour.
    if (!isDryRunId(physicalId)) {
      this.log(`Delete: training plan ${physicalId} cannot be cancelled. It stays, and stays charged, until its window ends.`);
    }
    return { PhysicalResourceId: physicalId };
  }

  /**
   * An Update never changes the physical id. Delete cancels nothing, so a
   * new id would only make CloudFormation send a pointless Delete, and the
   * Provider framework reports a FAILED isComplete with onEvent's id: a
   * changed id there breaks later updates. The resource is the reservation;
   * which plan it holds is in its attributes (TrainingPlanArn).
   */
  private async onUpdate(physicalId: string, newProps: unknown, oldProps: unknown): Promise<OnEventResponse> {
    const after = parseSpec(newProps);
    const before = parseSpec(oldProps);
    const keepId = (r: OnEventResponse): OnEventResponse => ({ ...r, PhysicalResourceId: physicalId });
    if (!before.purchase || !after.purchase) {
      // From a dry run nothing was bought: this is a first purchase, or
      // another dry run. To a dry run (also CloudFormation's rollback after a
      // failed first purchase): the plan, if one exists, is reported as it
      // is; otherwise the search is.
      return keepId(await this.withDeadline(after, (spec) => this.createOrAdopt(spec)));
    }
    if (after.planName !== before.planName) {
      // A new name is the documented way to ask for a second plan.
      this.log(`planName changed from ${before.planName} to ${after.planName}: reserving a separate plan. Plan ${before.planName} is kept and stays charged until its window ends.`);
      return keepId(await this.withDeadline(after, (spec) => this.createOrAdopt(spec, true)));
    }
    const changes = purchaseSpecChanges(before, after);
    if (changes.length > 0) {
      // The plan may satisfy the new spec all the same: CloudFormation's
      // rollback to the deployed properties, or a window widened around it.
      const existing = await this.lookUp(after);
      const facts = existing ? planFacts(existing) : undefined;
      if (!facts || specProblems(facts, after).length > 0) {
        throw new ReservationError(`Training plan ${before.planName} cannot be changed (${changes.join('; ')}): a plan can never be modified or cancelled, so this change would need a second, separate plan, charged in full on top of the first. Nothing was bought. `
          + 'To buy one, also set a new planName; the current plan stays, and stays charged, until its window ends. To keep the current plan, revert the change.');
      }
      this.log(`The purchase spec changed (${changes.join('; ')}), and ${describePlan(facts)} satisfies it: nothing is bought.`);
    }
    // Tags, budget, selection, currency, waiting or dry-run flags only: nothing to buy.
    return { PhysicalResourceId: physicalId, Data: { [WAIT_DEADLINE_KEY]: this.deadlineFor(after).toISOString() } };
  }

  private async withDeadline(spec: ReservationSpec, run: (spec: ReservationSpec) => Promise<OnEventResponse>): Promise<OnEventResponse> {
    const result = await run(spec);
    return { ...result, Data: { ...(result.Data ?? {}), [WAIT_DEADLINE_KEY]: this.deadlineFor(spec).toISOString() } };
  }

  private deadlineFor(spec: ReservationSpec): Date {
    return new Date(this.now().getTime() + Math.max(0, spec.waitBudgetSeconds - DEADLINE_MARGIN_SECONDS) * 1000);
  }

  /**
   * @param expiredIsHeld an Update to another plan name, possibly back to a
   * plan the resource held (CloudFormation's rollback), which must succeed
   * even if that plan has expired since. Nothing is bought either way.
   */
  private async createOrAdopt(spec: ReservationSpec, expiredIsHeld = false): Promise<OnEventResponse> {
    let existing = await this.lookUp(spec);
    if (!existing && expiredIsHeld) {
      // An Update may be returning to a plan this resource held; a read that
      // misses it (the service's reads are eventually consistent) must not
      // lead to a search, so the name is looked up once more.
      existing = await this.lookUp(spec);
    }
    if (existing) {
      const facts = planFacts(existing);
      if (expiredIsHeld && facts.status === 'Expired' && specProblems(facts, spec).length === 0) {
        this.log(`Returning to expired ${describePlan(facts)}: nothing is bought.`);
        return { PhysicalResourceId: facts.arn };
      }
      const problems = adoptionProblems(facts, spec);
      if (!spec.purchase && problems.length > 0) {
        // A dry run reports what a purchase would meet, and never fails on it.
        const report = `Dry run: ${adoptionRefusal(facts, spec, problems)}`;
        this.log(report);
        return { PhysicalResourceId: dryRunId(spec.planName), Data: candidateAttributes(undefined, spec, report) };
      }
      return this.adopt(facts, spec);
    }
    if (!spec.purchase) {
      return this.dryRun(spec);
    }
    return this.buy(spec);
  }

  private adopt(facts: PlanFacts, spec: ReservationSpec): OnEventResponse {
    const problems = adoptionProblems(facts, spec);
    if (problems.length > 0) {
      throw new ReservationError(adoptionRefusal(facts, spec, problems));
    }
    this.log(`Adopting existing ${describePlan(facts)}: nothing is bought.`);
    return { PhysicalResourceId: facts.arn };
  }

  private async search(spec: ReservationSpec): Promise<FilterResult> {
    const offerings = await this.callOrExplain('SearchTrainingPlanOfferings', spec, () => this.gateway.searchOfferings({
      TargetResources: ['endpoint'],
      InstanceType: spec.instanceType as never,
      InstanceCount: spec.instanceCount,
      DurationHours: spec.durationHours,
      StartTimeAfter: spec.earliestStart ?? this.now(),
      EndTimeBefore: spec.latestEnd,
    }));
    const latestStart = spec.requireActive ? this.deadlineFor(spec) : undefined;
    const result = filterOfferings(offerings, spec, { latestStart, notBefore: this.now() });
    this.log(`search: ${offerings.length} offerings, ${result.eligible.length} eligible for ${describeAsk(spec)}`);
    for (const r of result.rejected) {
      this.log(`  refused ${r.offeringId}: ${r.reason}`);
    }
    return result;
  }

  /**
   * Searches and reports. Finding nothing is a result to report, not a
   * failure: a dry run must never fail a deploy, nor CloudFormation's
   * rollback to it, for want of capacity.
   */
  private async dryRun(spec: ReservationSpec): Promise<OnEventResponse> {
    const result = await this.search(spec);
    const choice = selectOffering(result.eligible, spec.selection);
    const report = choice
      ? `Dry run: would buy offering ${choice.offeringId}: ${choice.instanceCount} x ${choice.instanceType} in ${choice.availabilityZone}, `
        + `${iso(choice.startTime)} to ${iso(choice.endTime)}, upfront fee ${choice.upfrontFeeText} ${choice.currencyCode}. Nothing was bought.`
      : noOfferingMessage(spec, result, 'Dry run: nothing would be bought');
    this.log(report);
    return { PhysicalResourceId: dryRunId(spec.planName), Data: candidateAttributes(choice, spec, report) };
  }

  /**
   * Buys one offering under the plan's name.
   *
   * Each purchase attempt is preceded, after any failure whose effect is
   * unknown, by a look-up of the name: if the plan exists, the earlier
   * attempt succeeded and is adopted. A sold-out offering leads to a fresh
   * search, a bounded number of times.
   */
  private async buy(spec: ReservationSpec): Promise<OnEventResponse> {
    let soldOut = 0;
    let lost = 0;
    /** Attempts whose answer was lost: they may still complete on the service side. */
    let unknownOutcomes = 0;
    for (;;) {
      const choice = this.choose(spec, await this.search(spec), 'Nothing was bought');
      try {
        this.log(`buying offering ${choice.offeringId} as ${spec.planName}: ${choice.upfrontFeeText} ${choice.currencyCode}`);
        const arn = await this.gateway.createPlan(spec.planName, choice.offeringId, spec.tags);
        this.log(`bought ${arn}`);
        return { PhysicalResourceId: arn, Data: { [ReservationAttribute.OFFERING_ID]: choice.offeringId } };
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'ResourceNotFound') {
          soldOut++;
          if (soldOut >= this.maxSearches) {
            throw new ReservationError(`Offering ${choice.offeringId} and ${soldOut - 1} other(s) sold out between search and purchase, ${soldOut} times in a row, for ${describeAsk(spec)}. Nothing was bought. Capacity is scarce in this window: deploy again to search anew, or widen the window.`);
          }
          this.log(`offering ${choice.offeringId} sold out before purchase; searching again (${soldOut}/${this.maxSearches})`);
          continue;
        }
        if (name === 'ResourceLimitExceeded') {
          throw new ReservationError(`The account's training-plan quota is reached (ResourceLimitExceeded: ${(err as Error).message}) while buying ${describeAsk(spec)}. Nothing was bought. Request a quota increase for SageMaker training plans, or wait for an existing plan to expire.`);
        }
        if (isTransient(err) && !isAmbiguous(err)) {
          // Throttled: refused before it ran, so sending again is safe.
          lost++;
          if (lost >= this.maxPurchaseAttempts) {
            if (unknownOutcomes === 0) {
              throw new ReservationError(`CreateTrainingPlan was throttled ${lost} times (${name}) while buying ${describeAsk(spec)}. Nothing was bought. Deploy again later.`);
            }
            throw new ReservationError(`CreateTrainingPlan failed ${lost} times (the last throttled: ${name}) while buying ${describeAsk(spec)}; ${unknownOutcomes} attempt(s) got no answer `
              + `and may still complete on the service side. Deploy again later: the next deploy looks the plan ${spec.planName} up by name, adopts it if it exists, and buys only if it does not.`);
          }
          continue;
        }
        // Any other answer leaves the outcome unknown: another delivery of
        // this event bought under our name (ResourceInUse), or our own
        // purchase went through and its answer was lost or malformed. The
        // name settles it before anything is sent again.
        const existing = await this.lookUpAfter(err, spec);
        if (existing) {
          this.log(`CreateTrainingPlan answered ${name}, and plan ${spec.planName} exists: adopting it.`);
          return this.adopt(planFacts(existing), spec);
        }
        if (name === 'ResourceInUse') {
          throw new ReservationError(`CreateTrainingPlan refused the name ${spec.planName} (ResourceInUse: ${(err as Error).message}), yet no plan of that name can be described. Nothing was bought. Set a new planName, or deploy again.`);
        }
        if (!isTransient(err)) {
          throw explainUnexpected('CreateTrainingPlan', spec, err, `no plan named ${spec.planName} exists, so nothing was bought`);
        }
        lost++;
        unknownOutcomes++;
        if (lost >= this.maxPurchaseAttempts) {
          throw new ReservationError(`CreateTrainingPlan failed ${lost} times with transient errors (last: ${name}: ${(err as Error).message}) while buying ${describeAsk(spec)}, and no plan named ${spec.planName} could be found afterwards. `
            + 'A purchase whose answer was lost may still complete on the service side. Deploy again later: the next deploy looks the plan up by name, adopts it if it exists, and buys only if it does not.');
        }
        this.log(`CreateTrainingPlan failed with ${name}, and no plan ${spec.planName} exists: trying again (${lost}/${this.maxPurchaseAttempts})`);
      }
    }
  }

  /**
   * Looks the plan up after a purchase whose outcome is unknown. If even the
   * look-up fails, the failure says so: whether a plan was bought is then
   * unknown, and only the next deploy's look-up by name can settle it.
   */
  private async lookUpAfter(purchaseError: unknown, spec: ReservationSpec) {
    try {
      return await this.gateway.describePlan(spec.planName);
    } catch (err) {
      const p = purchaseError as Error;
      const e = err as Error;
      throw new ReservationError(`CreateTrainingPlan answered ${p.name}: ${p.message}, and looking plan ${spec.planName} up afterwards failed too (${e.name}: ${e.message}). `
        + 'Whether the plan was bought is not known. Deploying again is safe: the next deploy looks the plan up by name, adopts it if it exists, and buys only if it does not.');
    }
  }

  private choose(spec: ReservationSpec, result: FilterResult, nothingDone: string): Candidate {
    const choice = selectOffering(result.eligible, spec.selection);
    if (choice) {
      return choice;
    }
    throw new ReservationError(noOfferingMessage(spec, result, nothingDone));
  }

  /** The plan under the spec's name, or undefined; a failure is explained. */
  private lookUp(spec: ReservationSpec) {
    return this.callOrExplain('DescribeTrainingPlan', spec, () => this.gateway.describePlan(spec.planName));
  }

  private async callOrExplain<T>(operation: string, spec: ReservationSpec, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if ((err as Error).name === 'ResourceLimitExceeded') {
        throw new ReservationError(`${operation} answered ResourceLimitExceeded (${(err as Error).message}) for ${describeAsk(spec)}. Nothing was bought. Request a quota increase for SageMaker training plans, or try again later.`);
      }
      throw explainUnexpected(operation, spec, err);
    }
  }
}

function parseSpec(props: unknown): ReservationSpec {
  return parseReservationSpec((props ?? {}) as ReservationResourceProperties);
}

function readDeadline(data: Record<string, string> | undefined, now: Date, spec: ReservationSpec): Date {
  const raw = data?.[WAIT_DEADLINE_KEY];
  const parsed = raw ? new Date(raw) : undefined;
  if (parsed && !Number.isNaN(parsed.getTime())) {
    return parsed;
  }
  return new Date(now.getTime() + spec.waitBudgetSeconds * 1000);
}

/**
 * Wraps an unexpected failure with the three parts every failure message
 * has. `outcome` states what is known of a purchase; reads buy nothing.
 */
function explainUnexpected(operation: string, spec: ReservationSpec, err: unknown, outcome = 'this call buys nothing'): ReservationError {
  if (err instanceof ReservationError) {
    return err;
  }
  const e = err as Error;
  const transient = isTransient(err) ? ' This looks transient (it was retried).' : '';
  return new ReservationError(`${operation} failed with ${e.name ?? 'Error'}: ${e.message} while reserving ${describeAsk(spec)}; ${outcome}.${transient} `
    + `Deploying again is safe: the next deploy looks the plan ${spec.planName} up by name before it buys, and buys only if it does not exist.`);
}

export function noOfferingMessage(spec: ReservationSpec, result: FilterResult, nothingDone: string): string {
  const ask = describeAsk(spec);
  if (result.rejected.length === 0) {
    return `No training-plan offering was found for ${ask} (TargetResources: endpoint). ${nothingDone}. Widen the window (earliestStart/latestEnd), or change the instance type or count.`;
  }
  const cheapest = cheapestOverBudget(result.rejected);
  const reasons = result.rejected.slice(0, 5).map((r) => `${r.offeringId}: ${r.reason}`).join('; ');
  const budget = cheapest
    ? ` The cheapest offering found is ${cheapest.offeringId} at ${cheapest.overBudgetFee} ${cheapest.currencyCode}, above maxUpfrontFee ${spec.maxUpfrontFee} ${spec.currencyCode}: raise maxUpfrontFee if that price is acceptable.`
    : '';
  const late = spec.requireActive && result.rejected.some((r) => r.reason.includes('too late to become Active'))
    ? ' An endpoint needs an Active plan, so this deploy only buys capacity that starts before it stops waiting. Reserve ahead with deployEndpoint: false (or TrainingPlanReservation alone), and deploy the endpoint once the window opens.'
    : '';
  return `No offering can be bought for ${ask}: ${result.rejected.length} found, none acceptable (${reasons}). ${nothingDone}.${budget}${late} Otherwise widen the window, or change the instance type or count.`;
}

/** A dry run's attributes: the offering it would buy, or empty values when it found none. */
function candidateAttributes(c: Candidate | undefined, spec: ReservationSpec, report: string): ReservationAttributes {
  return {
    [ReservationAttribute.PLAN_ARN]: '',
    [ReservationAttribute.PLAN_NAME]: spec.planName,
    [ReservationAttribute.STATUS]: c ? 'DryRun' : 'DryRunNoOffering',
    [ReservationAttribute.START_TIME]: c ? c.startTime.toISOString() : '',
    [ReservationAttribute.END_TIME]: c ? c.endTime.toISOString() : '',
    [ReservationAttribute.UPFRONT_FEE]: c ? c.upfrontFeeText : '',
    [ReservationAttribute.CURRENCY_CODE]: c ? c.currencyCode : '',
    [ReservationAttribute.AVAILABILITY_ZONE]: c ? c.availabilityZone : '',
    [ReservationAttribute.INSTANCE_TYPE]: c ? c.instanceType : '',
    [ReservationAttribute.INSTANCE_COUNT]: c ? String(c.instanceCount) : '',
    [ReservationAttribute.OFFERING_ID]: c ? c.offeringId : '',
    [ReservationAttribute.PURCHASED]: 'false',
    [ReservationAttribute.REPORT]: report,
  };
}
