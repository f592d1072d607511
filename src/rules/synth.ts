/**
 * The rules as the constructs report them at synth: the same rule id and the same
 * message as a lint finding for the same mistake (`findingMessage`), prefixed with the
 * construct path. The constructs build the `RuleViolation` with the rule's own text and
 * path builders (exported next to each rule), over what they render, so a construct
 * error and `checkManifests` on the synthesized YAML cannot drift apart.
 */
import { findingMessage } from './engine';
import { ObjectRef } from './types';

/** One violation of a rule, found by a construct. */
export interface RuleViolation {
  /** The rule's id, e.g. `DYN603`. */
  readonly ruleId: string;
  /** The object at fault, as it will be rendered. */
  readonly object: ObjectRef;
  /** The field path inside the rendered object. */
  readonly path: string;
  /** What is wrong and what is allowed (the rule's text). */
  readonly text: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
}

/**
 * `[construct path] DYNxxx <the lint finding's message>`, with an optional hint that only
 * a construct can give (a prop to set) after it.
 */
export function ruleViolationMessage(constructPath: string, v: RuleViolation, hint?: string): string {
  return `[${constructPath}] ${v.ruleId} ${findingMessage(v.object, v.path, v.text, v.value)}${hint ? ` ${hint}` : ''}`;
}

/** The identity of an object a construct renders; the namespace defaults as the linter's does. */
export function objectRef(apiVersion: string, kind: string, name: string, namespace: string | undefined, defaultNamespace = 'default'): ObjectRef {
  return { apiVersion, kind, namespace: namespace === undefined || namespace === '' ? defaultNamespace : namespace, name };
}
