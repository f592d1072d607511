/**
 * The API versions of the DynamoGraphDeployment CRD this library renders.
 */
export enum DynamoApiVersion {
  /** `nvidia.com/v1alpha1`: services as a map (Dynamo 0.8 to 1.x; deprecated in 1.5). */
  V1ALPHA1 = 'v1alpha1',
  /** `nvidia.com/v1beta1`: components as a list (Dynamo 1.5 onward; storage version). */
  V1BETA1 = 'v1beta1',
}

/**
 * The inference backend of a DGD. Immutable after creation.
 */
export enum BackendFramework {
  /** vLLM */
  VLLM = 'vllm',
  /** SGLang */
  SGLANG = 'sglang',
  /** TensorRT-LLM */
  TRTLLM = 'trtllm',
}

/**
 * What a service does in the graph. v1alpha1 renders it as `componentType` (and
 * `subComponentType` for prefill/decode); v1beta1 renders it as `type`.
 */
export enum ServiceRole {
  /** The OpenAI-compatible HTTP frontend. */
  FRONTEND = 'frontend',
  /** An aggregated worker (prefill and decode in one). */
  WORKER = 'worker',
  /** A disaggregated prefill worker. */
  PREFILL = 'prefill',
  /** A disaggregated decode worker. */
  DECODE = 'decode',
  /** The Dynamo Planner. */
  PLANNER = 'planner',
  /** The endpoint picker (at most one per DGD). */
  EPP = 'epp',
}

/**
 * Kubernetes resource amounts for a service's main container.
 */
export interface ResourceAmounts {
  /**
   * CPU, as a Kubernetes quantity (`"500m"`, `"2"`).
   * @default - not set
   */
  readonly cpu?: string;
  /**
   * Memory, as a Kubernetes quantity (`"16Gi"`).
   * @default - not set
   */
  readonly memory?: string;
  /**
   * Number of GPUs (`nvidia.com/gpu`).
   * @default - not set
   */
  readonly gpu?: number;
  /**
   * Other resources by their Kubernetes name, e.g. `{ 'ephemeral-storage': '2Gi' }`.
   * @default - none
   */
  readonly custom?: { [resource: string]: string };
}

/**
 * Requests and limits of a service's main container.
 */
export interface ServiceResources {
  /**
   * Requests.
   * @default - none
   */
  readonly requests?: ResourceAmounts;
  /**
   * Limits. GPUs are usually given here.
   * @default - none
   */
  readonly limits?: ResourceAmounts;
}
