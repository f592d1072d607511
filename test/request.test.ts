import { Chart, Duration, Testing } from 'cdk8s';
import {
  DynamoGraphDeployment, DynamoGraphDeploymentRequest, DynamoRelease, DynamoGraphDeploymentRequestProps, GpuSku, ProfilingBackend,
  ProfilingSearchStrategy,
  SlaOptimizationType,
} from '../src';
import { crdErrors, only } from './support';

function synth(props: Partial<DynamoGraphDeploymentRequestProps> = {}): any {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'llm-serving' });
  new DynamoGraphDeploymentRequest(chart, 'dgdr', { name: 'qwen-sla', model: 'Qwen/Qwen3-0.6B', ...props });
  return only(Testing.synth(chart), 'DynamoGraphDeploymentRequest');
}

describe('DynamoGraphDeploymentRequest', () => {
  test('Dynamo 1.5: a custom image tag with runtimeVersionOverride is admitted; an older operator needs neither', () => {
    const m = synth({ image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:my-tag', runtimeVersionOverride: '1.5.1' });
    expect(m.spec.image).toBe('nvcr.io/nvidia/ai-dynamo/dynamo-planner:my-tag');
    expect(m.spec.runtimeVersionOverride).toBe('1.5.1');
    expect(crdErrors(m)).toEqual([]);
    expect(synth({ image: 'planner:my-tag', release: DynamoRelease.V1_4 }).spec).not.toHaveProperty('runtimeVersionOverride');
    // The app-wide default applies to requests too.
    const app = Testing.app();
    DynamoGraphDeployment.setDefaultRelease(app, DynamoRelease.V1_4);
    expect(() => new DynamoGraphDeploymentRequest(new Chart(app, 'c'), 'r', { name: 'r', model: 'm', image: 'planner:my-tag' })).not.toThrow();
  });

  test('minimal: only the model; defaults are the CRD\'s and are not rendered', () => {
    const m = synth();
    expect(crdErrors(m)).toEqual([]);
    expect(m.apiVersion).toBe('nvidia.com/v1beta1');
    expect(m.metadata).toEqual({ name: 'qwen-sla', namespace: 'llm-serving' });
    expect(m.spec).toEqual({ model: 'Qwen/Qwen3-0.6B' });
  });

  test('every field, field by field', () => {
    const m = synth({
      namespace: 'llm-serving',
      backend: ProfilingBackend.VLLM,
      image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0',
      autoApply: false,
      searchStrategy: ProfilingSearchStrategy.THOROUGH,
      runtimeVersionOverride: '1.4.0',
      sla: { ttft: Duration.millis(200), itl: Duration.millis(20), optimizationType: SlaOptimizationType.LATENCY },
      workload: { isl: 3000, osl: 150, requestRate: 2.5 },
      hardware: { gpuSku: GpuSku.H100_SXM, numGpusPerNode: 8, totalGpus: 16, vramMb: 81559, interconnect: 'nvlink', rdma: true },
      planner: { throughput_adjustment_interval: 60, load_predictor: 'kalman' },
      mocker: false,
      modelCache: { pvcName: 'model-cache', pvcModelPath: 'qwen3-0.6b', pvcMountPath: '/opt/model-cache' },
      dgdOverride: {
        apiVersion: 'nvidia.com/v1beta1',
        kind: 'DynamoGraphDeployment',
        metadata: { name: 'qwen', labels: { team: 'llm' } },
      },
      profilingJobOverride: { backoffLimit: 2, activeDeadlineSeconds: 7200, template: { spec: { nodeSelector: { pool: 'gpu' }, containers: [{ name: 'profiler' }] } } },
    });
    expect(crdErrors(m)).toEqual([]);
    expect(m.spec.model).toBe('Qwen/Qwen3-0.6B');
    expect(m.spec.backend).toBe('vllm');
    expect(m.spec.image).toBe('nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0');
    expect(m.spec.autoApply).toBe(false);
    expect(m.spec.searchStrategy).toBe('thorough');
    expect(m.spec.runtimeVersionOverride).toBe('1.4.0');
    expect(m.spec.sla).toEqual({ ttft: 200, itl: 20, optimizationType: 'latency' });
    expect(m.spec.workload).toEqual({ isl: 3000, osl: 150, requestRate: 2.5 });
    expect(m.spec.hardware).toEqual({ gpuSku: 'h100_sxm', numGpusPerNode: 8, totalGpus: 16, vramMb: 81559, interconnect: 'nvlink', rdma: true });
    expect(m.spec.features).toEqual({ planner: { throughput_adjustment_interval: 60, load_predictor: 'kalman' }, mocker: { enabled: false } });
    expect(m.spec.modelCache).toEqual({ pvcName: 'model-cache', pvcModelPath: 'qwen3-0.6b', pvcMountPath: '/opt/model-cache' });
    expect(m.spec.overrides.dgd).toEqual({ apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: { name: 'qwen', labels: { team: 'llm' } } });
    expect(m.spec.overrides.profilingJob).toEqual({ backoffLimit: 2, activeDeadlineSeconds: 7200, template: { spec: { nodeSelector: { pool: 'gpu' }, containers: [{ name: 'profiler' }] } } });
  });

  test('a profiling job override of pod metadata only validates', () => {
    const m = synth({ profilingJobOverride: { template: { metadata: { labels: { team: 'llm' } } } } });
    expect(crdErrors(m)).toEqual([]);
    expect(m.spec.overrides).toEqual({ profilingJob: { template: { metadata: { labels: { team: 'llm' } } } } });
  });

  test('an empty planner config enables the planner with its defaults', () => {
    const m = synth({ planner: {} });
    expect(crdErrors(m)).toEqual([]);
    expect(m.spec.features).toEqual({ planner: {} });
  });

  test('e2eLatency alone, concurrency alone, sub-millisecond targets keep their fraction', () => {
    const m = synth({ sla: { e2eLatency: Duration.seconds(2) }, workload: { concurrency: 64 } });
    expect(crdErrors(m)).toEqual([]);
    expect(m.spec.sla).toEqual({ e2eLatency: 2000 });
    expect(m.spec.workload).toEqual({ concurrency: 64 });
    expect(synth({ sla: { itl: Duration.millis(0.5) } }).spec.sla).toEqual({ itl: 0.5 });
  });

  test('the overrides are copies: later edits of the caller\'s objects do not leak in', () => {
    const dgd: any = { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeployment', spec: { services: {} } };
    const chart = new Chart(Testing.app(), 'c');
    new DynamoGraphDeploymentRequest(chart, 'dgdr', { name: 'x', model: 'm', dgdOverride: dgd });
    dgd.spec.services.Extra = {};
    const m = only(Testing.synth(chart), 'DynamoGraphDeploymentRequest');
    expect(m.spec.overrides.dgd.spec).toEqual({ services: {} });
    expect(m.metadata.namespace).toBeUndefined();
  });

  test('the CRD check can fail: an unknown backend is rejected by the schema', () => {
    const m = synth();
    m.spec.backend = 'tgi';
    m.spec.unknownField = 1;
    const errors = crdErrors(m).join('\n');
    expect(errors).toMatch(/backend: must be equal to one of the allowed values/);
    expect(errors).toMatch(/'unknownField' \(pruned by the API server\)/);
  });

  const rows: Array<[string, Partial<DynamoGraphDeploymentRequestProps>, RegExp]> = [
    ['name upper case', { name: 'Qwen' }, /\[c\/dgdr\] 'name' \("Qwen"\): must be a DNS subdomain/],
    ['namespace upper case', { namespace: 'NS' }, /'namespace' \("NS"\): must be a DNS label/],
    ['model empty', { model: '' }, /\[c\/dgdr\] 'model' \(""\): is required/],
    ['model missing', { model: undefined }, /'model' \(undefined\): is required/],
    ['unknown backend', { backend: 'tgi' as any }, /'backend' \("tgi"\): must be one of auto, vllm, sglang, trtllm/],
    ['unknown search strategy', { searchStrategy: 'exhaustive' as any }, /'searchStrategy' \("exhaustive"\): must be one of rapid, thorough/],
    ['empty image', { image: ' ' }, /'image' \(" "\): must be a non-empty image reference/],
    ['runtime version with v', { runtimeVersionOverride: 'v1.4.0' }, /'runtimeVersionOverride' \("v1.4.0"\): must be a version X.Y.Z/],
    ['runtime version leading zero', { runtimeVersionOverride: '1.04.0' }, /'runtimeVersionOverride' \("1.04.0"\)/],
    ['1.5: image without a version tag and no override', { image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:my-tag' },
      /^\[c\/dgdr\] DYN120 DynamoGraphDeploymentRequest llm-serving\/qwen-sla: spec\.image = "nvcr\.io\/nvidia\/ai-dynamo\/dynamo-planner:my-tag": the image tag is not a semantic version \(MAJOR\.MINOR\.PATCH\), so Dynamo 1\.5 needs 'spec\.runtimeVersionOverride' \(image tag "my-tag" must contain a semantic version such as "1\.1\.0"; set 'runtimeVersionOverride', or 'release' if the operator is older than 1\.5\)$/],
    ['1.5: image by digest and no override', { image: 'planner@sha256:00' }, /DYN120 .*: spec\.image = "planner@sha256:00": .*\(image "planner@sha256:00" does not contain a tag;/],
    ['override before 1.5', { runtimeVersionOverride: '1.4.0', release: DynamoRelease.V1_4 },
      /'runtimeVersionOverride' \("1\.4\.0"\): exists from Dynamo 1\.5; this request targets 1\.4, whose CRD would drop it/],
    ['release not a DynamoRelease', { release: '1.5' as any }, /'release' \("1\.5"\): must be a DynamoRelease/],
    ['planner not an object', { planner: [] as any }, /'planner' \(\[\]\): must be an object of Planner config keys/],
    ['unknown optimization type', { sla: { optimizationType: 'cost' as any } }, /'sla.optimizationType' \("cost"\): must be one of latency, throughput/],
    ['e2eLatency with ttft', { sla: { ttft: Duration.millis(100), e2eLatency: Duration.seconds(1) } },
      /'sla.e2eLatency' \("1s"\): is an alternative to 'ttft' and 'itl'; give one or the other/],
    ['ttft zero', { sla: { ttft: Duration.millis(0) } }, /'sla.ttft' \("0s"\): must be longer than 0 ms/],
    ['itl not a Duration', { sla: { itl: 20 as any } }, /'sla.itl' \(20\): must be a cdk8s Duration/],
    ['isl zero', { workload: { isl: 0 } }, /'workload.isl' \(0\): must be an integer from 1 to 2147483647/],
    ['osl fractional', { workload: { osl: 1.5 } }, /'workload.osl' \(1.5\): must be an integer/],
    ['isl beyond int32', { workload: { isl: 2 ** 31 } }, /'workload.isl' \(2147483648\)/],
    ['concurrency zero', { workload: { concurrency: 0 } }, /'workload.concurrency' \(0\): must be a number > 0/],
    ['request rate negative', { workload: { requestRate: -1 } }, /'workload.requestRate' \(-1\): must be a number > 0/],
    ['concurrency and request rate', { workload: { concurrency: 8, requestRate: 2 } },
      /'workload.requestRate' \(2\): is exclusive with 'concurrency' \(8\)/],
    ['unknown gpu sku', { hardware: { gpuSku: 'rtx4090' as any } }, /'hardware.gpuSku' \("rtx4090"\): must be one of gb200_sxm, gb10/],
    ['gpus per node zero', { hardware: { numGpusPerNode: 0 } }, /'hardware.numGpusPerNode' \(0\): must be an integer from 1/],
    ['total gpus fractional', { hardware: { totalGpus: 2.5 } }, /'hardware.totalGpus' \(2.5\)/],
    ['vram zero', { hardware: { vramMb: 0 } }, /'hardware.vramMb' \(0\): must be a number > 0/],
    ['empty interconnect', { hardware: { interconnect: '' } }, /'hardware.interconnect' \(""\): must be a non-empty string/],
    ['bad pvc name', { modelCache: { pvcName: 'My_PVC' } }, /'modelCache.pvcName' \("My_PVC"\): must be the name of a PersistentVolumeClaim/],
    ['relative mount path', { modelCache: { pvcName: 'p', pvcMountPath: 'opt/cache' } }, /'modelCache.pvcMountPath' \("opt\/cache"\): must be an absolute path/],
    ['dgd override not an object', { dgdOverride: 'x' as any }, /'dgdOverride' \("x"\): must be a DynamoGraphDeployment object/],
    ['dgd override wrong apiVersion', { dgdOverride: { apiVersion: 'nvidia.com/v1', kind: 'DynamoGraphDeployment' } },
      /'dgdOverride.apiVersion' \("nvidia.com\/v1"\): must be one of nvidia.com\/v1alpha1, nvidia.com\/v1beta1/],
    ['dgd override wrong kind', { dgdOverride: { apiVersion: 'nvidia.com/v1beta1', kind: 'Deployment' } },
      /'dgdOverride.kind' \("Deployment"\): must be DynamoGraphDeployment/],
    ['profiling job override without template', { profilingJobOverride: { backoffLimit: 1 } },
      /'profilingJobOverride.template' \(undefined\): is required by the CRD's JobSpec schema/],
    ['profiling job override without containers', { profilingJobOverride: { template: { spec: { nodeSelector: {} } } } },
      /'profilingJobOverride.template.spec.containers' \(undefined\): is required by the CRD's PodSpec schema/],
    ['profiling job override not an object', { profilingJobOverride: [1] as any }, /'profilingJobOverride' \(\[1\]\): must be an object of Job spec fields/],
  ];
  test.each(rows)('error: %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

test('the dgdr example app: a planner-enabled request for Qwen3-0.6B', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require('../examples/dgdr');
  const app = Testing.app();
  build(app);
  app.synth();
  const m = only(app.charts.flatMap((c) => Testing.synth(c)), 'DynamoGraphDeploymentRequest', 'qwen3-sla');
  expect(crdErrors(m)).toEqual([]);
  expect(m.spec.features).toEqual({ planner: { throughput_adjustment_interval: 60 } });
  expect(m.spec.sla).toEqual({ ttft: 200, itl: 20 });
  expect(m.spec.overrides.dgd.metadata.name).toBe('qwen3');
});
