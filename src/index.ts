export * from './reservation/instance-type';
export * from './reservation/offering-selection';
export * from './reservation/training-plan';
export * from './reservation/training-plan-props';
export * from './reservation/training-plan-reservation';
export * from './endpoint/reserved-inference-endpoint-props';
export * from './endpoint/reserved-inference-endpoint';
