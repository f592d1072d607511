/** The CEL evaluator moved to src/validate/cel.ts; re-exported for the tests. */
export * from '../../src/validate/cel';
