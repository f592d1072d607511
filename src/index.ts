export * from './naming';
export * from './dynamo/types';
export * from './dynamo/service';
export * from './dynamo/scaling-adapter';
export * from './dynamo/deployment';
export * from './autoscaling/scale-target';
export * from './autoscaling/alerts';
