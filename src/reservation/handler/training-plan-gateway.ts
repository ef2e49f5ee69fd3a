import {
  CreateTrainingPlanCommand,
  DescribeTrainingPlanCommand,
  DescribeTrainingPlanResponse,
  SageMakerClient,
  SearchTrainingPlanOfferingsCommand,
  SearchTrainingPlanOfferingsCommandInput,
  TrainingPlanOffering,
} from '@aws-sdk/client-sagemaker';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_RETRY_POLICY, RetryPolicy, Sleep, realSleep, withRetry } from './retry';

/**
 * The three training-plan calls the handler makes. Everything that decides
 * what to call, and what an answer means, lives outside this port.
 */
export interface TrainingPlanGateway {
  searchOfferings(input: SearchTrainingPlanOfferingsCommandInput): Promise<TrainingPlanOffering[]>;
  /** The plan of that name, or undefined when the service has none. */
  describePlan(name: string): Promise<DescribeTrainingPlanResponse | undefined>;
  /** Buys. Sent once: the caller resolves a lost answer by name, never by resending. */
  createPlan(name: string, offeringId: string, tags: ReadonlyArray<{ Key: string; Value: string }>): Promise<string>;
}

export interface SdkGatewayOptions {
  readonly client?: SageMakerClient;
  readonly retry?: RetryPolicy;
  readonly sleep?: Sleep;
  /** Per-request timeout: a slow answer becomes a transient failure instead of hanging the Lambda. */
  readonly requestTimeoutMs?: number;
}

/**
 * Creates the SDK client with its own retries turned off: the SDK would
 * resend a CreateTrainingPlan whose answer was lost, which is exactly the
 * double purchase this library exists to prevent. Reads are retried here.
 */
export function createSageMakerClient(requestTimeoutMs = 20_000): SageMakerClient {
  return new SageMakerClient({
    maxAttempts: 1,
    // Without throwOnRequestTimeout, a request timeout only logs a warning and
    // a slow answer holds the Lambda until its own timeout.
    requestHandler: new NodeHttpHandler({ requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true, connectionTimeout: 5_000 }),
  });
}

export class SdkTrainingPlanGateway implements TrainingPlanGateway {
  private readonly client: SageMakerClient;
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;

  constructor(options: SdkGatewayOptions = {}) {
    this.client = options.client ?? createSageMakerClient(options.requestTimeoutMs);
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.sleep = options.sleep ?? realSleep;
  }

  public async searchOfferings(input: SearchTrainingPlanOfferingsCommandInput): Promise<TrainingPlanOffering[]> {
    const out = await withRetry(() => this.client.send(new SearchTrainingPlanOfferingsCommand(input)), this.retry, this.sleep);
    return out.TrainingPlanOfferings ?? [];
  }

  public async describePlan(name: string): Promise<DescribeTrainingPlanResponse | undefined> {
    try {
      return await withRetry(() => this.client.send(new DescribeTrainingPlanCommand({ TrainingPlanName: name })), this.retry, this.sleep);
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFound') {
        return undefined;
      }
      throw err;
    }
  }

  public async createPlan(name: string, offeringId: string, tags: ReadonlyArray<{ Key: string; Value: string }>): Promise<string> {
    const out = await this.client.send(new CreateTrainingPlanCommand({
      TrainingPlanName: name,
      TrainingPlanOfferingId: offeringId,
      Tags: tags.length > 0 ? tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined,
    }));
    if (!out.TrainingPlanArn) {
      throw new Error('CreateTrainingPlan answered without a TrainingPlanArn');
    }
    return out.TrainingPlanArn;
  }
}
