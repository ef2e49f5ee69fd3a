/**
 * The input shapes of the four training-plan operations, copied from the SageMaker service model
 * shipped with botocore 1.43.11 (`data/sagemaker/2017-07-24/service-2.json.gz`), documentation
 * removed. Patterns are as in the model; the validator anchors them (`^(?:...)$`), as the service does.
 */

export interface StructureShape {
  readonly type: 'structure';
  readonly required?: readonly string[];
  /** member name -> shape name */
  readonly members: Readonly<Record<string, string>>;
}

export interface ListShape {
  readonly type: 'list';
  readonly member: string;
  readonly min?: number;
  readonly max?: number;
}

export interface StringShape {
  readonly type: 'string';
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
}

export interface NumberShape {
  readonly type: 'integer' | 'long';
  readonly min?: number;
  readonly max?: number;
}

export interface TimestampShape {
  readonly type: 'timestamp';
}

export type ShapeDef = StructureShape | ListShape | StringShape | NumberShape | TimestampShape;

export const SHAPES: Readonly<Record<string, ShapeDef>> = {
  CreateTrainingPlanRequest: { type: 'structure', required: ['TrainingPlanName', 'TrainingPlanOfferingId'], members: { TrainingPlanName: 'TrainingPlanName', TrainingPlanOfferingId: 'TrainingPlanOfferingId', SpareInstanceCountPerUltraServer: 'SpareInstanceCountPerUltraServer', Tags: 'TagList' } },
  DescribeTrainingPlanRequest: { type: 'structure', required: ['TrainingPlanName'], members: { TrainingPlanName: 'TrainingPlanName' } },
  ListTrainingPlansRequest: { type: 'structure', members: { NextToken: 'NextToken', MaxResults: 'MaxResults', StartTimeAfter: 'Timestamp', StartTimeBefore: 'Timestamp', SortBy: 'TrainingPlanSortBy', SortOrder: 'TrainingPlanSortOrder', Filters: 'TrainingPlanFilters' } },
  MaxResults: { type: 'integer', min: 1, max: 100 },
  NextToken: { type: 'string', pattern: '.*', min: 0, max: 8192 },
  ReservedCapacityInstanceCount: { type: 'integer', min: 0, max: 256 },
  ReservedCapacityInstanceType: { type: 'string', enum: ['ml.p4d.24xlarge', 'ml.p5.48xlarge', 'ml.p5e.48xlarge', 'ml.p5en.48xlarge', 'ml.trn1.32xlarge', 'ml.trn2.48xlarge', 'ml.p6-b200.48xlarge', 'ml.p4de.24xlarge', 'ml.p6e-gb200.36xlarge', 'ml.p5.4xlarge', 'ml.p6-b300.48xlarge'] },
  SageMakerResourceName: { type: 'string', enum: ['training-job', 'hyperpod-cluster', 'endpoint', 'studio-apps'] },
  SageMakerResourceNames: { type: 'list', min: 1, member: 'SageMakerResourceName' },
  SearchTrainingPlanOfferingsRequest: { type: 'structure', members: { InstanceType: 'ReservedCapacityInstanceType', InstanceCount: 'ReservedCapacityInstanceCount', UltraServerType: 'UltraServerType', UltraServerCount: 'UltraServerCount', StartTimeAfter: 'Timestamp', EndTimeBefore: 'Timestamp', DurationHours: 'TrainingPlanDurationHoursInput', TargetResources: 'SageMakerResourceNames', TrainingPlanArn: 'String' } },
  SpareInstanceCountPerUltraServer: { type: 'integer', min: 0 },
  String: { type: 'string' },
  String64: { type: 'string', min: 0, max: 64 },
  Tag: { type: 'structure', required: ['Key', 'Value'], members: { Key: 'TagKey', Value: 'TagValue' } },
  TagKey: { type: 'string', pattern: '([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)', min: 1, max: 128 },
  TagList: { type: 'list', min: 0, max: 50, member: 'Tag' },
  TagValue: { type: 'string', pattern: '([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)', min: 0, max: 256 },
  Timestamp: { type: 'timestamp' },
  TrainingPlanDurationHoursInput: { type: 'long', min: 1, max: 87600 },
  TrainingPlanFilter: { type: 'structure', required: ['Name', 'Value'], members: { Name: 'TrainingPlanFilterName', Value: 'String64' } },
  TrainingPlanFilterName: { type: 'string', enum: ['Status'] },
  TrainingPlanFilters: { type: 'list', min: 1, max: 5, member: 'TrainingPlanFilter' },
  TrainingPlanName: { type: 'string', pattern: '[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}', min: 1, max: 64 },
  TrainingPlanOfferingId: { type: 'string', pattern: '[a-z0-9\\-]+', min: 1, max: 256 },
  TrainingPlanSortBy: { type: 'string', enum: ['TrainingPlanName', 'StartTime', 'Status'] },
  TrainingPlanSortOrder: { type: 'string', enum: ['Ascending', 'Descending'] },
  TrainingPlanStatus: { type: 'string', enum: ['Pending', 'Active', 'Scheduled', 'Expired', 'Failed'] },
  UltraServerCount: { type: 'integer', min: 1 },
  UltraServerType: { type: 'string', pattern: 'ml.[a-z0-9\\-.]+', min: 1, max: 64 },
};

/** Operation name -> input shape name. */
export const OPERATION_INPUTS: Readonly<Record<string, string>> = {
  SearchTrainingPlanOfferings: 'SearchTrainingPlanOfferingsRequest',
  CreateTrainingPlan: 'CreateTrainingPlanRequest',
  DescribeTrainingPlan: 'DescribeTrainingPlanRequest',
  ListTrainingPlans: 'ListTrainingPlansRequest',
};

function enumOf(shape: string): readonly string[] {
  const def = SHAPES[shape];
  return def.type === 'string' && def.enum ? def.enum : [];
}

/** `ReservedCapacityInstanceType`: the instance types a plan can reserve. */
export const RESERVED_CAPACITY_INSTANCE_TYPES = enumOf('ReservedCapacityInstanceType');
/** `SageMakerResourceName`: the target resources of an offering / plan. */
export const SAGEMAKER_RESOURCE_NAMES = enumOf('SageMakerResourceName');
/** `TrainingPlanStatus`. */
export const TRAINING_PLAN_STATUSES = enumOf('TrainingPlanStatus');
