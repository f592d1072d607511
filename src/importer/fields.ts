/**
 * The fields a DGD may carry, per API version, as the served CRD schema lists them
 * (crds/dynamo/v1.5/nvidia.com_dynamographdeployments.yaml; test/import-fields.test.ts
 * checks these lists against that file, so they cannot drift from it). Anything else is
 * an unknown field: the API server would prune it, so importing it would hide a mistake.
 */

/** `spec` of a v1alpha1 DGD. */
export const V1ALPHA1_SPEC_FIELDS: readonly string[] = [
  'annotations', 'backendFramework', 'envs', 'experimental', 'labels', 'priorityClassName',
  'providerOverride', 'pvcs', 'restart', 'services', 'topologyConstraint',
];

/** One entry of `spec.services` of a v1alpha1 DGD. */
export const V1ALPHA1_SERVICE_FIELDS: readonly string[] = [
  'annotations', 'autoscaling', 'checkpoint', 'componentType', 'dynamoNamespace', 'envFromSecret', 'envs',
  'eppConfig', 'extraPodMetadata', 'extraPodSpec', 'failover', 'frontendSidecar', 'globalDynamoNamespace',
  'gpuMemoryService', 'ingress', 'labels', 'livenessProbe', 'minAvailable', 'modelRef', 'multinode',
  'providerOverride', 'readinessProbe', 'replicas', 'resources', 'runtimeVersionOverride', 'scalingAdapter',
  'serviceName', 'sharedMemory', 'subComponentType', 'topologyConstraint', 'volumeMounts',
];

/** `spec` of a v1beta1 DGD. */
export const V1BETA1_SPEC_FIELDS: readonly string[] = [
  'annotations', 'backendFramework', 'components', 'env', 'experimental', 'labels', 'priorityClassName',
  'providerOverride', 'restart', 'topologyConstraint',
];

/** One entry of `spec.components` of a v1beta1 DGD. */
export const V1BETA1_COMPONENT_FIELDS: readonly string[] = [
  'compilationCache', 'eppConfig', 'experimental', 'frontendSidecar', 'globalDynamoNamespace', 'minAvailable',
  'modelRef', 'multinode', 'name', 'podTemplate', 'providerOverride', 'replicas', 'runtimeVersionOverride',
  'scalingAdapter', 'sharedMemorySize', 'topologyConstraint', 'type',
];

/** `resources.requests` / `resources.limits` of a v1alpha1 service. */
export const V1ALPHA1_RESOURCE_ITEM_FIELDS: readonly string[] = ['cpu', 'custom', 'gpu', 'gpuType', 'memory'];

/** The top-level fields of any Kubernetes object. */
export const OBJECT_FIELDS: readonly string[] = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
