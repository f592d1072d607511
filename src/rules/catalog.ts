/** Every rule of the engine, in id order. */
import { Rule } from './engine';
import { SCHEMA_RULES } from './schema';

/** Every rule, in id order. */
export const RULES: Rule[] = [
  ...SCHEMA_RULES,
].sort((a, b) => a.info.id.localeCompare(b.info.id));
