/**
 * The what-if simulator's library API: replay a load trace through an autoscaling
 * policy (this library's constructs or parsed manifests) and a small target model.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Policy, policiesFromManifests } from './policy';

export { simulate, SimulationError } from './engine';
export type { SimulateOptions, SimulationResult, Summary, Sample, ScaleEventRecord } from './engine';
export { PolicyError, policiesFromManifests, parseHpa, parseScaledObject, parsePodAutoscaler, kedaGeneratedHpa } from './policy';
export type { Policy } from './policy';
export { TraceError, parseTrace, parseCsvTrace, parseJsonTrace, loadFromRecorded } from './trace';
export type { Trace } from './trace';
export { DEFAULT_MODEL, ASSUMPTIONS, SIGNAL_KINDS } from './model';
export type { TargetModel, SignalKind } from './model';
export { summaryTable, seriesCsv, seriesJson, chartSvg, htmlReport } from './report';

/**
 * The autoscaling policies under a construct (HpaAutoscaler, KedaAutoscaler,
 * AibrixAutoscaler, or a chart holding them), synthesized to their manifests.
 */
export function policiesFromConstruct(scope: IConstruct): Policy[] {
  const docs = scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
  return policiesFromManifests(docs, scope.node.path || '<root>');
}
