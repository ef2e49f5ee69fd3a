import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The Provider framework's physical id for a Create that failed before onEvent returned one. */
export const CREATE_FAILED_MARKER = 'AWS_CDK::CustomResourceProviderFramework::CREATE_FAILED';

export interface UserHandlers {
  onEvent(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId?: string; Data?: Record<string, string> }>;
  isComplete(event: any): Promise<{ IsComplete: boolean; Data?: Record<string, string> }>;
}

export interface DriverOptions {
  /** Poll interval of isComplete, as the provider sets it. */
  readonly queryIntervalMs?: number;
  /** The provider's total timeout. */
  readonly totalTimeoutMs?: number;
  /** Called before each isComplete poll with the interval just waited: moves the emulator's clock. */
  readonly onWait?: (ms: number) => void | Promise<void>;
  readonly stackId?: string;
  readonly resourceType?: string;
}

/** What CloudFormation would record for the resource after one request. */
export interface CfnOutcome {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly data: Record<string, string>;
  readonly reason?: string;
  /** isComplete polls made. */
  readonly polls: number;
}

/**
 * Plays CloudFormation and the aws-cdk-lib Provider framework around a pair
 * of user handlers, with the framework's documented rules: a failed Create
 * answers a marker physical id and the following Delete is skipped; a failed
 * Update or Delete keeps the id CloudFormation sent; a timeout reports FAILED
 * with the id onEvent returned; Delete may not change the physical id.
 */
export class ProviderFrameworkDriver {
  private requests = 0;
  private readonly queryIntervalMs: number;
  private readonly totalTimeoutMs: number;
  private readonly stackId: string;
  private readonly resourceType: string;

  constructor(private readonly handlers: UserHandlers, private readonly options: DriverOptions = {}) {
    this.queryIntervalMs = options.queryIntervalMs ?? 60_000;
    this.totalTimeoutMs = options.totalTimeoutMs ?? 3_600_000;
    this.stackId = options.stackId ?? 'arn:aws:cloudformation:us-west-2:123456789012:stack/Demo/00000000-0000-0000-0000-000000000000';
    this.resourceType = options.resourceType ?? 'Custom::SageMakerTrainingPlanReservation';
  }

  public create(logicalId: string, props: Record<string, unknown>): Promise<CfnOutcome> {
    return this.run({ ...this.base(logicalId, props), RequestType: 'Create' } as CloudFormationCustomResourceEvent);
  }

  public update(logicalId: string, physicalId: string, props: Record<string, unknown>, oldProps: Record<string, unknown>): Promise<CfnOutcome> {
    return this.run({
      ...this.base(logicalId, props),
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      OldResourceProperties: { ServiceToken: 'arn:aws:lambda:us-west-2:123456789012:function:framework-onEvent', ...oldProps },
    } as CloudFormationCustomResourceEvent);
  }

  public delete(logicalId: string, physicalId: string, props: Record<string, unknown>): Promise<CfnOutcome> {
    const event = { ...this.base(logicalId, props), RequestType: 'Delete', PhysicalResourceId: physicalId };
    return this.run(event as CloudFormationCustomResourceEvent);
  }

  /**
   * The Create request `create()` would send, without sending it: run it
   * with `run()` once or more (the same event, as a duplicate delivery).
   */
  public createEvent(logicalId: string, props: Record<string, unknown>): CloudFormationCustomResourceEvent {
    return { ...this.base(logicalId, props), RequestType: 'Create' } as CloudFormationCustomResourceEvent;
  }

  /** The Update request `update()` would send, without sending it. */
  public updateEvent(
    logicalId: string,
    physicalId: string,
    props: Record<string, unknown>,
    oldProps: Record<string, unknown>,
  ): CloudFormationCustomResourceEvent {
    return {
      ...this.base(logicalId, props),
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      OldResourceProperties: { ServiceToken: 'arn:aws:lambda:us-west-2:123456789012:function:framework-onEvent', ...oldProps },
    } as CloudFormationCustomResourceEvent;
  }

  /** The Delete request `delete()` would send, without sending it. */
  public deleteEvent(logicalId: string, physicalId: string, props: Record<string, unknown>): CloudFormationCustomResourceEvent {
    return { ...this.base(logicalId, props), RequestType: 'Delete', PhysicalResourceId: physicalId } as CloudFormationCustomResourceEvent;
  }

  /** Sends one request exactly as given (e.g. a Create delivered twice). */
  public async run(event: CloudFormationCustomResourceEvent): Promise<CfnOutcome> {
    const sentId = (event as { PhysicalResourceId?: string }).PhysicalResourceId;
    if (event.RequestType === 'Delete' && sentId === CREATE_FAILED_MARKER) {
      return { status: 'SUCCESS', physicalResourceId: sentId, data: {}, polls: 0 };
    }
    const failedId = event.RequestType === 'Create' ? CREATE_FAILED_MARKER : sentId!;
    let onEventResult: { PhysicalResourceId?: string; Data?: Record<string, string> };
    try {
      onEventResult = await this.handlers.onEvent(event);
    } catch (err) {
      return { status: 'FAILED', physicalResourceId: failedId, data: {}, reason: (err as Error).message, polls: 0 };
    }
    const physicalResourceId = onEventResult.PhysicalResourceId ?? sentId ?? event.RequestId;
    if (event.RequestType === 'Delete' && physicalResourceId !== sentId) {
      return { status: 'FAILED', physicalResourceId: sentId!, data: {}, reason: 'DELETE: cannot change the physical resource ID', polls: 0 };
    }
    const merged = { ...event, ...onEventResult, PhysicalResourceId: physicalResourceId };
    let polls = 0;
    for (let waited = 0; ; waited += this.queryIntervalMs) {
      if (waited > 0 || polls > 0) {
        if (waited >= this.totalTimeoutMs) {
          return { status: 'FAILED', physicalResourceId, data: {}, reason: 'Operation timed out', polls };
        }
        await this.options.onWait?.(this.queryIntervalMs);
      }
      polls++;
      let result: { IsComplete: boolean; Data?: Record<string, string> };
      try {
        result = await this.handlers.isComplete(merged);
      } catch (err) {
        return { status: 'FAILED', physicalResourceId, data: {}, reason: (err as Error).message, polls };
      }
      if (result.IsComplete) {
        return { status: 'SUCCESS', physicalResourceId, data: { ...(onEventResult.Data ?? {}), ...(result.Data ?? {}) }, polls };
      }
      if (result.Data && Object.keys(result.Data).length > 0) {
        return { status: 'FAILED', physicalResourceId, data: {}, reason: '"Data" is not allowed if "IsComplete" is "False"', polls };
      }
    }
  }

  private base(logicalId: string, props: Record<string, unknown>) {
    this.requests++;
    return {
      ServiceToken: 'arn:aws:lambda:us-west-2:123456789012:function:framework-onEvent',
      ResponseURL: 'https://cloudformation-custom-resource-response.invalid/',
      StackId: this.stackId,
      RequestId: `request-${this.requests}`,
      LogicalResourceId: logicalId,
      ResourceType: this.resourceType,
      ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-west-2:123456789012:function:framework-onEvent', ...props },
    };
  }
}
