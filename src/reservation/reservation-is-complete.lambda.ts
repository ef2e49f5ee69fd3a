/**
 * isComplete of the reservation provider: only reads the plan's status.
 * The logic lives in `handler/`; this file only wires the real SDK in.
 */
import { IsCompleteEvent, IsCompleteResponse, ReservationHandler } from './handler/reservation-handler';
import { SdkTrainingPlanGateway } from './handler/training-plan-gateway';

const reservations = new ReservationHandler({ gateway: new SdkTrainingPlanGateway() });

export async function handler(event: IsCompleteEvent): Promise<IsCompleteResponse> {
  return reservations.isComplete(event);
}
