import { Duration } from 'cdk8s';
import { DynamoErrors } from '../src';
import {
  durationMillis, requireDnsLabel, requireDnsSubdomain, requireDuration, requireInteger, requireNumber, requireOneOf, requirePort,
  requirePositive, requirePositiveDuration,
} from '../src/base/validators';

enum Color { RED = 'red', GREEN = 'green' }

/** The message `fn` throws (a library validation error), or undefined when it passes. */
function message(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(DynamoErrors.isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
}

describe('one validators module: each check, its pass cases and its exact message', () => {
  test.each<[string, () => unknown, string | undefined]>([
    ['integer in range', () => requireInteger('x', 'n', 3, 1, 5), undefined],
    ['integer left out', () => requireInteger('x', 'n', undefined, 1), undefined],
    ['integer below min', () => requireInteger('x', 'n', 0, 1), "[x] 'n' (0): must be an integer >= 1"],
    ['integer above max', () => requireInteger('x', 'n', 6, 1, 5), "[x] 'n' (6): must be an integer from 1 to 5"],
    ['integer fraction', () => requireInteger('x', 'n', 1.5, 1), "[x] 'n' (1.5): must be an integer >= 1"],
    ['integer beyond int32', () => requireInteger('x', 'n', 2 ** 31, 1), "[x] 'n' (2147483648): must be an integer >= 1 and at most 2147483647: Kubernetes types it as int32"],
    ['port', () => requirePort('x', 'port', 8080), undefined],
    ['port 0', () => requirePort('x', 'port', 0), "[x] 'port' (0): must be an integer from 1 to 65535"],
    ['port missing', () => requirePort('x', 'port', undefined), "[x] 'port' (undefined): must be an integer from 1 to 65535"],
    ['positive', () => requirePositive('x', 'v', 0.1), undefined],
    ['positive 0', () => requirePositive('x', 'v', 0), "[x] 'v' (0): must be a number > 0"],
    ['positive missing', () => requirePositive('x', 'v', undefined), "[x] 'v' (undefined): must be a number > 0"],
    ['positive NaN', () => requirePositive('x', 'v', NaN), "[x] 'v' (NaN): must be a number > 0"],
    ['positive string', () => requirePositive('x', 'v', '1'), '[x] \'v\' ("1"): must be a number > 0'],
    ['number >= 0', () => requireNumber('x', 'v', 0, { atLeast: 0 }), undefined],
    ['number >= 0 with note', () => requireNumber('x', 'v', -1, { atLeast: 0, note: ' (a fraction)' }), "[x] 'v' (-1): must be a number >= 0 (a fraction)"],
    ['number > 1', () => requireNumber('x', 'v', 1, { above: 1 }), "[x] 'v' (1): must be a number > 1"],
    ['number between', () => requireNumber('x', 'q', 1, { above: 0, below: 1, note: ', e.g. 0.95' }), "[x] 'q' (1): must be a number strictly between 0 and 1, e.g. 0.95"],
    ['number unbounded', () => requireNumber('x', 'v', Infinity), "[x] 'v' (Infinity): must be a number"],
    ['enum', () => requireOneOf('x', 'c', Color.RED, Color), undefined],
    ['enum unknown', () => requireOneOf('x', 'c', 'blue', Color), '[x] \'c\' ("blue"): must be one of red, green'],
    ['enum missing', () => requireOneOf('x', 'c', undefined, Color), "[x] 'c' (undefined): must be one of red, green"],
    ['enum with note', () => requireOneOf('x', 'c', 'blue', ['a', 'b'], ' (Letters)'), '[x] \'c\' ("blue"): must be one of a, b (Letters)'],
    ['enum with own rule', () => requireOneOf('x', 'c', 'blue', ['a', 'b'], '', 'must be a or b'), '[x] \'c\' ("blue"): must be a or b'],
    ['subdomain', () => requireDnsSubdomain('x', 'name', 'a.b-c'), undefined],
    ['subdomain upper case', () => requireDnsSubdomain('x', 'name', 'A'),
      "[x] 'name' (\"A\"): must be a DNS subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"],
    ['subdomain too long', () => requireDnsSubdomain('x', 'name', 'a'.repeat(254)), expect.stringContaining('must be a DNS subdomain: at most 253') as any],
    ['subdomain of a Secret', () => requireDnsSubdomain('x', 'secretName', 's_1', 'a Secret'), '[x] \'secretName\' ("s_1"): must be the name of a Secret (a DNS subdomain)'],
    ['subdomain missing', () => requireDnsSubdomain('x', 'name', undefined), expect.stringContaining("[x] 'name' (undefined): must be a DNS subdomain") as any],
    ['label', () => requireDnsLabel('x', 'qualifier', 'queue'), undefined],
    ['label with a dot', () => requireDnsLabel('x', 'qualifier', 'a.b'), "[x] 'qualifier' (\"a.b\"): must be a DNS label: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit"],
    ['label too long', () => requireDnsLabel('x', 'qualifier', 'q'.repeat(64)), expect.stringContaining('must be a DNS label of at most 63 characters (this one has 64)') as any],
  ])('%s', (_label, fn, expected) => {
    expect(message(fn)).toEqual(expected);
  });

  test.each<[string, () => unknown, number | string]>([
    ['whole seconds', () => requireDuration('x', 'd', Duration.minutes(2), { unit: 'seconds' }), 120],
    ['fractional seconds', () => requireDuration('x', 'd', Duration.millis(1500), { unit: 'seconds' }), "[x] 'd' (\"1500ms\"): must be a whole number of seconds"],
    ['at least 1 second', () => requireDuration('x', 'd', Duration.seconds(0), { unit: 'seconds', min: 1 }), "[x] 'd' (\"0s\"): must be a whole number of seconds, at least 1 second"],
    ['at least 5 seconds', () => requireDuration('x', 'd', Duration.seconds(4), { unit: 'seconds', min: 5 }), "[x] 'd' (\"4s\"): must be a whole number of seconds, at least 5 seconds"],
    ['0 or more', () => requireDuration('x', 'd', Duration.millis(10), { unit: 'seconds', min: 0 }), "[x] 'd' (\"10ms\"): must be a whole number of seconds, 0 or more"],
    ['int32 bound', () => requireDuration('x', 'd', Duration.seconds(2 ** 31), { unit: 'seconds', min: 1, max: 2147483647 }),
      "[x] 'd' (\"2147483648s\"): must be a whole number of seconds, at least 1 and at most 2147483647 (int32)"],
    ['milliseconds', () => requireDuration('x', 'd', Duration.millis(0.5), { unit: 'milliseconds', min: 1 }), "[x] 'd' (\"0.5ms\"): must be a whole number of milliseconds, at least 1 ms"],
    ['own rule', () => requireDuration('x', 'd', Duration.millis(0), { unit: 'milliseconds', min: 1, rule: 'must be positive' }), "[x] 'd' (\"0s\"): must be positive"],
    ['a number instead', () => requireDuration('x', 'd', 300 as any, { unit: 'seconds' }), "[x] 'd' (300): must be a cdk8s Duration (e.g. Duration.seconds(300))"],
    ['a number, own hint', () => requireDuration('x', 'd', 300 as any, { unit: 'seconds', notDuration: () => ' such as Duration.minutes(5)' }),
      "[x] 'd' (300): must be a cdk8s Duration such as Duration.minutes(5)"],
    ['positive duration', () => requirePositiveDuration('x', 'd', Duration.millis(0.5)), 0.5],
    ['positive duration 0', () => requirePositiveDuration('x', 'd', Duration.millis(0)), "[x] 'd' (\"0s\"): must be longer than 0 ms"],
  ])('Duration: %s', (_label, fn, expected) => {
    if (typeof expected === 'number') expect(fn()).toBe(expected);
    else expect(message(fn)).toBe(expected);
  });

  test('durationMillis keeps fractions that cdk8s would refuse', () => {
    expect(durationMillis(Duration.millis(0.5))).toBe(0.5);
    expect(() => Duration.millis(0.5).toMilliseconds()).toThrow();
  });
});
