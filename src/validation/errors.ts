import { ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * An aws-cdk-lib `ValidationError`, which shows users the construct path.
 * Its constructor takes a branded literal code that aws-cdk-lib does not
 * export, hence the cast.
 */
export function validationError(code: string, message: string, scope: IConstruct): Error {
  type Code = ConstructorParameters<typeof ValidationError>[0];
  return new ValidationError(code as unknown as Code, message, scope);
}
