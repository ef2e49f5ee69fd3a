/**
 * The synth-time validation layer: pure functions over props that return
 * issues and never throw, create constructs or annotate. The constructs
 * call them and decide how to report.
 *
 * Internal: not exported from the library's entry point.
 */
export * from './issue';
export * from './limits';
export * from './iso-time';
export * from './instance-type-rules';
export * from './name-rules';
export * from './tag-rules';
export * from './reservation-rules';
export * from './endpoint-rules';
export * from './arn-rules';
export * from './plan-attributes-rules';
