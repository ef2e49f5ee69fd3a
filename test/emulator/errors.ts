/**
 * An error the emulated service answers with: an HTTP status and a JSON body
 * `{"__type": errorType, "message": message}` (AWS JSON 1.1).
 */
export class ServiceError extends Error {
  public readonly errorType: string;
  public readonly status: number;

  constructor(errorType: string, message: string, status: number = 400) {
    super(message);
    this.name = errorType;
    this.errorType = errorType;
    this.status = status;
  }
}

export function validationException(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

export function resourceNotFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFound', message);
}

export function resourceInUse(message: string): ServiceError {
  return new ServiceError('ResourceInUse', message);
}

export function resourceLimitExceeded(message: string): ServiceError {
  return new ServiceError('ResourceLimitExceeded', message);
}

export function serializationException(message: string): ServiceError {
  return new ServiceError('SerializationException', message);
}

export function unknownOperation(target: string): ServiceError {
  return new ServiceError('UnknownOperationException', `Operation ${target || '(none)'} is not supported.`);
}
