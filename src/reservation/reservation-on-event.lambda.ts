/**
 * onEvent of the reservation provider: decides, and buys at most once.
 * The logic lives in `handler/`; this file only wires the real SDK in.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { OnEventResponse, ReservationHandler } from './handler/reservation-handler';
import { SdkTrainingPlanGateway } from './handler/training-plan-gateway';

const reservations = new ReservationHandler({ gateway: new SdkTrainingPlanGateway() });

export async function handler(event: CloudFormationCustomResourceEvent): Promise<OnEventResponse> {
  const physicalId = (event as { PhysicalResourceId?: string }).PhysicalResourceId;
  console.log(JSON.stringify({ RequestType: event.RequestType, LogicalResourceId: event.LogicalResourceId, PhysicalResourceId: physicalId }));
  return reservations.onEvent(event);
}
