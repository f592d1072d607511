import { HpaMetric, HpaMetricTarget } from './hpa-metric';
import { PrometheusAdapterRule } from './prometheus-adapter';
import { invalid } from '../base/errors';
import { requirePositive } from '../base/validators';
import { escapePromLabelValue, PromQuery } from '../dynamo/metrics';

/** Which pods' GPUs a DCGM query covers. */
export interface DcgmPodSelector {
  /** Kubernetes namespace of the pods. */
  readonly namespace: string;
  /**
   * Regular expression on the `pod` label, e.g. `vllm-deployment-.*`.
   * @default - every pod in the namespace
   */
  readonly podRegex?: string;
}

/**
 * GPU-aware scaling presets on NVIDIA DCGM exporter metrics (with its Kubernetes pod
 * mapping, which labels each GPU series with `namespace`, `pod` and `container`):
 * GPU utilization (`DCGM_FI_DEV_GPU_UTIL`, percent) and framebuffer memory
 * (`DCGM_FI_DEV_FB_USED` / `DCGM_FI_DEV_FB_FREE`, MiB).
 */
export class DcgmMetrics {
  /** GPU utilization, percent. */
  public static readonly GPU_UTILIZATION = 'DCGM_FI_DEV_GPU_UTIL';
  /** Framebuffer memory used, MiB. */
  public static readonly FRAMEBUFFER_USED = 'DCGM_FI_DEV_FB_USED';
  /** Framebuffer memory free, MiB. */
  public static readonly FRAMEBUFFER_FREE = 'DCGM_FI_DEV_FB_FREE';

  /**
   * HPA Pods metric: average GPU utilization per pod (percent, 1-100). Needs the
   * adapter rule `DcgmMetrics.gpuUtilizationRule()`.
   */
  public static podsGpuUtilization(targetPercent: number): HpaMetric {
    requirePercent('DcgmMetrics.podsGpuUtilization', targetPercent);
    return HpaMetric.pods({ name: DcgmMetrics.GPU_UTILIZATION, target: HpaMetricTarget.averageValue(targetPercent) });
  }

  /**
   * HPA Pods metric: average framebuffer memory used per pod, MiB. Needs the adapter
   * rule `DcgmMetrics.framebufferUsedRule()`.
   */
  public static podsFramebufferUsed(targetMiB: number): HpaMetric {
    requirePositive('DcgmMetrics.podsFramebufferUsed', 'targetMiB', targetMiB);
    return HpaMetric.pods({ name: DcgmMetrics.FRAMEBUFFER_USED, target: HpaMetricTarget.averageValue(targetMiB) });
  }

  /** HPA External metric: GPU utilization selected by labels (percent, 1-100). */
  public static externalGpuUtilization(targetPercent: number, labels?: { [key: string]: string }): HpaMetric {
    requirePercent('DcgmMetrics.externalGpuUtilization', targetPercent);
    return HpaMetric.external({
      name: DcgmMetrics.GPU_UTILIZATION,
      matchLabels: labels,
      target: HpaMetricTarget.averageValue(targetPercent),
    });
  }

  /** Prometheus Adapter rule serving `DCGM_FI_DEV_GPU_UTIL` per pod. */
  public static gpuUtilizationRule(): PrometheusAdapterRule {
    return podRule(DcgmMetrics.GPU_UTILIZATION);
  }

  /** Prometheus Adapter rule serving `DCGM_FI_DEV_FB_USED` per pod. */
  public static framebufferUsedRule(): PrometheusAdapterRule {
    return podRule(DcgmMetrics.FRAMEBUFFER_USED);
  }

  /** PromQL for KEDA: average GPU utilization (percent) of the selected pods. */
  public static gpuUtilizationQuery(selector: DcgmPodSelector): PromQuery {
    return PromQuery._of(`avg(${DcgmMetrics.GPU_UTILIZATION}${podMatchers(selector)})`);
  }

  /** PromQL for KEDA: average fraction (0-1) of framebuffer memory in use on the selected pods. */
  public static framebufferUsedFractionQuery(selector: DcgmPodSelector): PromQuery {
    const m = podMatchers(selector);
    return PromQuery._of(`avg(${DcgmMetrics.FRAMEBUFFER_USED}${m} / (${DcgmMetrics.FRAMEBUFFER_USED}${m} + ${DcgmMetrics.FRAMEBUFFER_FREE}${m}))`);
  }

  private constructor() {}
}

function requirePercent(where: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0 && value <= 100)) {
    throw invalid(where, 'targetPercent', value, 'must be a percentage in (0, 100]');
  }
}

function podRule(metric: string): PrometheusAdapterRule {
  return PrometheusAdapterRule.pods({
    seriesQuery: `${metric}{namespace!="",pod!=""}`,
    metricName: metric,
    metricsQuery: 'avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
  });
}

function podMatchers(selector: DcgmPodSelector): string {
  if (typeof selector.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(selector.namespace)) {
    throw invalid('DcgmMetrics', 'namespace', selector.namespace, 'must be a Kubernetes namespace name');
  }
  const parts = [`namespace="${escapePromLabelValue(selector.namespace)}"`];
  if (selector.podRegex !== undefined) {
    try {
      new RegExp(`^(?:${selector.podRegex})$`);
    } catch {
      throw invalid('DcgmMetrics', 'podRegex', selector.podRegex, 'must be a valid regular expression');
    }
    parts.push(`pod=~"${escapePromLabelValue(selector.podRegex)}"`);
  }
  return `{${parts.join(',')}}`;
}
