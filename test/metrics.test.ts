import { Chart, Duration, Testing } from 'cdk8s';
import {
  BackendFramework, DynamoGraphDeployment, DynamoMetrics, escapePromLabelValue, promDuration, PromQuery,
  QueueDepthSource, ServiceRole,
} from '../src';

function dgd(props: { name?: string; namespace?: string; global?: boolean } = {}): DynamoGraphDeployment {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: props.namespace ?? 'default' });
  const d = new DynamoGraphDeployment(chart, 'dgd', {
    name: props.name ?? 'sglang-agg',
    backendFramework: BackendFramework.SGLANG,
    globalDynamoNamespace: props.global,
  });
  d.addService('Frontend', { image: 'runtime:1.5.1', role: ServiceRole.FRONTEND });
  return d;
}

const NS = 'dynamo_namespace="default-sglang-agg"';

describe('PromQuery', () => {
  test('raw keeps the expression as written', () => {
    const q = PromQuery.raw('sum(rate(vllm_request_queue_size[1m]))');
    expect(q.expr).toBe('sum(rate(vllm_request_queue_size[1m]))');
    expect(q.toString()).toBe('sum(rate(vllm_request_queue_size[1m]))');
    expect(`${q}`).toBe('sum(rate(vllm_request_queue_size[1m]))');
  });

  test.each([
    ['', /\[PromQuery.raw\] 'expr' \(""\): must be a non-empty PromQL expression/],
    ['  \n ', /\[PromQuery.raw\] 'expr' \(" {2}\\n "\): must be a non-empty PromQL expression/],
    [undefined, /\[PromQuery.raw\] 'expr' \(undefined\): must be a non-empty PromQL expression/],
    [42, /\[PromQuery.raw\] 'expr' \(42\): must be a non-empty PromQL expression/],
  ])('raw rejects %j', (expr, message) => {
    expect(() => PromQuery.raw(expr as any)).toThrow(message);
  });
});

describe('escapePromLabelValue', () => {
  test('escapes backslash, double quote and newline, backslash first', () => {
    expect(escapePromLabelValue('plain-value')).toBe('plain-value');
    expect(escapePromLabelValue('a"b')).toBe('a\\"b');
    expect(escapePromLabelValue('a\\b')).toBe('a\\\\b');
    expect(escapePromLabelValue('a\nb')).toBe('a\\nb');
    // A backslash before a quote must not swallow the quote's escape.
    expect(escapePromLabelValue('\\"')).toBe('\\\\\\"');
    expect(escapePromLabelValue('x\\n')).toBe('x\\\\n');
  });
});

describe('promDuration', () => {
  test.each([
    [Duration.seconds(30), '30s'],
    [Duration.seconds(90), '90s'],
    [Duration.minutes(1), '1m'],
    [Duration.minutes(5), '5m'],
    [Duration.minutes(90), '90m'],
    [Duration.hours(2), '2h'],
    [Duration.days(1), '24h'],
    [Duration.millis(3000), '3s'],
  ])('%s renders as %s', (d, text) => {
    expect(promDuration(d)).toBe(text);
  });

  test.each([
    [Duration.millis(1500), /\[promDuration\] 'window' \("1500ms"\): must be a whole number of seconds, at least 1 second/],
    [Duration.millis(500), /\[promDuration\] 'window' \("500ms"\): must be a whole number of seconds, at least 1 second/],
    [Duration.seconds(0), /\[promDuration\] 'window' \("0s"\): must be a whole number of seconds, at least 1 second/],
  ])('rejects %s', (d, message) => {
    expect(() => promDuration(d)).toThrow(message);
  });
});

describe('DynamoMetrics', () => {
  test('TTFT p95 over 5m, as in seed 004 (whitespace aside)', () => {
    const q = DynamoMetrics.ttftQuantile({ deployment: dgd(), quantile: 0.95, window: Duration.minutes(5) });
    expect(q).toBeInstanceOf(PromQuery);
    expect(q.expr).toBe(`histogram_quantile(0.95, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket{${NS}}[5m])) by (le))`);
  });

  test('quantile defaults: 0.95 over 5m', () => {
    expect(DynamoMetrics.ttftQuantile({ deployment: dgd() }).expr)
      .toBe(`histogram_quantile(0.95, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket{${NS}}[5m])) by (le))`);
  });

  test('ITL quantile with a model filter', () => {
    const q = DynamoMetrics.itlQuantile({ deployment: dgd(), quantile: 0.9, window: Duration.minutes(2), model: 'Qwen/Qwen3-0.6B' });
    expect(q.expr).toBe(
      `histogram_quantile(0.9, sum(rate(dynamo_frontend_inter_token_latency_seconds_bucket{${NS},model="Qwen/Qwen3-0.6B"}[2m])) by (le))`);
  });

  test('request duration quantile over a seconds window', () => {
    const q = DynamoMetrics.requestDurationQuantile({ deployment: dgd(), quantile: 0.99, window: Duration.seconds(90) });
    expect(q.expr).toBe(`histogram_quantile(0.99, sum(rate(dynamo_frontend_request_duration_seconds_bucket{${NS}}[90s])) by (le))`);
  });

  test('request rate: default window 1m, explicit window', () => {
    expect(DynamoMetrics.requestRate({ deployment: dgd() }).expr).toBe(`sum(rate(dynamo_frontend_requests_total{${NS}}[1m]))`);
    expect(DynamoMetrics.requestRate({ deployment: dgd(), window: Duration.hours(1) }).expr)
      .toBe(`sum(rate(dynamo_frontend_requests_total{${NS}}[1h]))`);
  });

  test('queue depth: legacy gauge by default, as in seed 004', () => {
    expect(DynamoMetrics.queueDepth({ deployment: dgd() }).expr).toBe(`sum(dynamo_frontend_queued_requests{${NS}})`);
    expect(DynamoMetrics.queueDepth({ deployment: dgd(), source: QueueDepthSource.QUEUED_REQUESTS_GAUGE }).expr)
      .toBe(`sum(dynamo_frontend_queued_requests{${NS}})`);
  });

  test('queue depth: the stage_requests form of REFERENCE.md', () => {
    expect(DynamoMetrics.queueDepth({ deployment: dgd(), source: QueueDepthSource.STAGE_REQUESTS }).expr)
      .toBe('sum(dynamo_frontend_stage_requests{dynamo_namespace="default-sglang-agg",stage=~"preprocess|route|dispatch"})');
    expect(DynamoMetrics.queueDepth({ deployment: dgd(), source: QueueDepthSource.STAGE_REQUESTS, model: 'm' }).expr)
      .toBe('sum(dynamo_frontend_stage_requests{dynamo_namespace="default-sglang-agg",model="m",stage=~"preprocess|route|dispatch"})');
  });

  test('inflight and active requests', () => {
    expect(DynamoMetrics.inflightRequests({ deployment: dgd() }).expr).toBe(`sum(dynamo_frontend_inflight_requests{${NS}})`);
    expect(DynamoMetrics.activeRequests({ deployment: dgd(), model: 'llama' }).expr)
      .toBe(`sum(dynamo_frontend_active_requests{${NS},model="llama"})`);
  });

  test('the dynamo_namespace label follows the operator: dots become dashes; global namespace is "dynamo"', () => {
    expect(DynamoMetrics.queueDepth({ deployment: dgd({ name: 'llama.v2', namespace: 'prod' }) }).expr)
      .toBe('sum(dynamo_frontend_queued_requests{dynamo_namespace="prod-llama-v2"})');
    expect(DynamoMetrics.queueDepth({ deployment: dgd({ global: true }) }).expr)
      .toBe('sum(dynamo_frontend_queued_requests{dynamo_namespace="dynamo"})');
    expect(DynamoMetrics.dynamoNamespaceOf({ deployment: dgd({ name: 'a.b.c', namespace: 'x' }) })).toBe('x-a-b-c');
  });

  test('an explicit dynamo_namespace label for a DGD defined elsewhere', () => {
    expect(DynamoMetrics.inflightRequests({ dynamoNamespace: 'team-a-llm' }).expr)
      .toBe('sum(dynamo_frontend_inflight_requests{dynamo_namespace="team-a-llm"})');
  });

  test('label values are escaped: quote, backslash, newline', () => {
    const q = DynamoMetrics.queueDepth({ dynamoNamespace: 'ns"x', model: 'a\\b\nc"d' });
    expect(q.expr).toBe('sum(dynamo_frontend_queued_requests{dynamo_namespace="ns\\"x",model="a\\\\b\\nc\\"d"})');
    const t = DynamoMetrics.ttftQuantile({ dynamoNamespace: 'back\\slash', quantile: 0.5, window: Duration.seconds(30) });
    expect(t.expr).toBe(
      'histogram_quantile(0.5, sum(rate(dynamo_frontend_time_to_first_token_seconds_bucket{dynamo_namespace="back\\\\slash"}[30s])) by (le))');
    // An injection attempt stays inside the string literal.
    const inj = DynamoMetrics.activeRequests({ dynamoNamespace: 'x"} or vector(1) #' });
    expect(inj.expr).toBe('sum(dynamo_frontend_active_requests{dynamo_namespace="x\\"} or vector(1) #"})');
  });

  test('no builder for the removed KV-cache gauge', () => {
    const names = Object.getOwnPropertyNames(DynamoMetrics).filter((n) => typeof (DynamoMetrics as any)[n] === 'function');
    expect(names).toEqual(expect.arrayContaining(['ttftQuantile', 'itlQuantile', 'requestDurationQuantile', 'requestRate', 'queueDepth']));
    expect(names.filter((n) => /kv|cache/i.test(n))).toEqual([]);
  });

  describe('errors', () => {
    test.each([
      [0, /\[DynamoMetrics\] 'quantile' \(0\): must be a number strictly between 0 and 1, e.g. 0.95/],
      [1, /\[DynamoMetrics\] 'quantile' \(1\): must be a number strictly between 0 and 1/],
      [95, /\[DynamoMetrics\] 'quantile' \(95\): must be a number strictly between 0 and 1/],
      [-0.5, /\[DynamoMetrics\] 'quantile' \(-0.5\): must be a number strictly between 0 and 1/],
      [NaN, /\[DynamoMetrics\] 'quantile' \(NaN\): must be a number strictly between 0 and 1/],
      ['0.9', /\[DynamoMetrics\] 'quantile' \("0.9"\): must be a number strictly between 0 and 1/],
    ])('quantile %j is rejected by every quantile builder', (quantile, message) => {
      const d = dgd();
      expect(() => DynamoMetrics.ttftQuantile({ deployment: d, quantile: quantile as any })).toThrow(message);
      expect(() => DynamoMetrics.itlQuantile({ deployment: d, quantile: quantile as any })).toThrow(message);
      expect(() => DynamoMetrics.requestDurationQuantile({ deployment: d, quantile: quantile as any })).toThrow(message);
    });

    test('a window of part seconds', () => {
      expect(() => DynamoMetrics.ttftQuantile({ deployment: dgd(), window: Duration.millis(2500) }))
        .toThrow(/\[promDuration\] 'window' \("2500ms"\): must be a whole number of seconds/);
      expect(() => DynamoMetrics.requestRate({ deployment: dgd(), window: Duration.millis(100) }))
        .toThrow(/\[promDuration\] 'window' \("100ms"\): must be a whole number of seconds/);
    });

    test('both deployment and dynamoNamespace', () => {
      expect(() => DynamoMetrics.queueDepth({ deployment: dgd(), dynamoNamespace: 'x' }))
        .toThrow(/\[DynamoMetrics\] 'dynamoNamespace' \("x"\): give either 'deployment' or 'dynamoNamespace', not both/);
    });

    test('neither deployment nor dynamoNamespace', () => {
      expect(() => DynamoMetrics.queueDepth({}))
        .toThrow(/\[DynamoMetrics\] 'deployment' \(undefined\): give the DGD \('deployment'\) or its label value \('dynamoNamespace'\)/);
    });

    test('an empty dynamoNamespace or model', () => {
      expect(() => DynamoMetrics.activeRequests({ dynamoNamespace: '' }))
        .toThrow(/\[DynamoMetrics\] 'dynamoNamespace' \(""\): must be a non-empty label value/);
      expect(() => DynamoMetrics.activeRequests({ dynamoNamespace: 'x', model: '' }))
        .toThrow(/\[DynamoMetrics\] 'model' \(""\): must be a non-empty model name/);
    });

    test('an unknown queue-depth source', () => {
      expect(() => DynamoMetrics.queueDepth({ dynamoNamespace: 'x', source: 'waiting' as any }))
        .toThrow(/\[DynamoMetrics.queueDepth\] 'source' \("waiting"\): must be one of queued_requests, stage_requests/);
    });

    test('a DGD without a namespace has no derivable label', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'nons');
      const d = new DynamoGraphDeployment(chart, 'dgd', { name: 'llm', backendFramework: BackendFramework.VLLM });
      expect(() => DynamoMetrics.queueDepth({ deployment: d }))
        .toThrow(/\[nons\/dgd\] 'namespace' \(undefined\): the dynamo_namespace metric label is '<namespace>-<dgd name>'/);
    });
  });
});
