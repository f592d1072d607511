/** Every rule of the engine, in id order. */
import { AIBRIX_RULES } from './aibrix';
import { CROSS_RULES } from './cross';
import { DGD_RULES } from './dgd';
import { Rule } from './engine';
import { HPA_RULES } from './hpa';
import { KEDA_RULES } from './keda';
import { PROMETHEUS_ADAPTER_RULES } from './prometheus-adapter';
import { SCHEMA_RULES } from './schema';

/** Every rule, in id order. */
export const RULES: Rule[] = [
  ...SCHEMA_RULES, ...DGD_RULES, ...KEDA_RULES, ...HPA_RULES, ...AIBRIX_RULES, ...PROMETHEUS_ADAPTER_RULES, ...CROSS_RULES,
].sort((a, b) => a.info.id.localeCompare(b.info.id));
