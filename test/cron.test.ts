/**
 * The cron check accepts exactly what KEDA's cron scaler accepts: robfig/cron v3.0.1 with
 * `Minute | Hour | Dom | Month | Dow` (no seconds, no descriptors). The tables below are
 * upstream test data, ported as data with their source.
 */
import { CRON_FIELDS, cronFieldValues, cronNeverFires, cronProblem, cronRangeProblem, normalizeCron, parseCron } from '../src/core/cron';

/**
 * kedacore/keda v2.20.2, pkg/scalers/cron_scaler_test.go, `testCronMetadata`: the rows
 * with both schedules given ([start, end, KEDA's verdict]). KEDA's `isError` also covers
 * missing metadata and `start == end`, which the trigger checks separately (below).
 */
const KEDA_CRON_METADATA: Array<[string, string, boolean]> = [
  ['0 0 * * Thu', '59 23 * * Thu', true],
  ['0 */2 * * *', '0 1-23/2 * * *', true],
  ['0,30 * * * *', '15,45 * * * *', true],
  ['30-33 * * * *', '45 * * * *', true],
  ['30 * * * *', '45-50 * * * *', true],
  ['-30 * * * *', '45 * * * *', false],
  ['30 * * * *', '-50 * * * *', false],
  ['30 * * * *', '50 * * -3 *', false],
];

/**
 * robfig/cron v3.0.1, parser_test.go, `TestRange`: [expr, min, max, expected values or
 * the error's substring in robfig's message (mapped to the library's wording)].
 */
const ROBFIG_RANGE: Array<[string, number, number, number[] | RegExp]> = [
  ['5', 0, 7, [5]],
  ['0', 0, 7, [0]],
  ['7', 0, 7, [7]],
  ['5-5', 0, 7, [5]],
  ['5-6', 0, 7, [5, 6]],
  ['5-7', 0, 7, [5, 6, 7]],
  ['5-6/2', 0, 7, [5]],
  ['5-7/2', 0, 7, [5, 7]],
  ['5-7/1', 0, 7, [5, 6, 7]],
  ['*', 1, 3, [1, 2, 3]],
  ['*/2', 1, 3, [1, 3]],
  ['5--5', 0, 0, /too many hyphens/], // "too many hyphens"
  ['jan-x', 0, 0, /'jan' in 'jan-x' is not a number/], // "failed to parse int from" (no names in this field)
  ['2-x', 1, 5, /'x' in '2-x' is not a number/], // "failed to parse int from"
  ['*/-12', 0, 0, /has a negative number \(-12\)/], // "negative number"
  ['*//2', 0, 0, /too many slashes/], // "too many slashes"
  ['1', 3, 5, /starts below 3/], // "below minimum"
  ['6', 3, 5, /goes above 5/], // "above maximum"
  ['5-3', 3, 5, /starts at 5, after its end 3/], // "beyond end of range"
  ['*/0', 0, 0, /has step 0/], // "should be a positive number"
];

/** robfig/cron v3.0.1, parser_test.go, `TestField`: [expr, min, max, expected values]. */
const ROBFIG_FIELD: Array<[string, number, number, number[]]> = [
  ['5', 1, 7, [5]],
  ['5,6', 1, 7, [5, 6]],
  ['5,6,7', 1, 7, [5, 6, 7]],
  ['1,5-7/2,3', 1, 7, [1, 3, 5, 7]],
];

/**
 * robfig/cron v3.0.1, parser_test.go, `TestParseScheduleErrors`, `TestParseSchedule`,
 * `TestStandardSpecSchedule` and `TestNoDescriptorParser`, as KEDA's parser sees them
 * (5 fields, no descriptors): [spec, accepted?].
 */
const ROBFIG_PARSE: Array<[string, boolean]> = [
  ['5 * * * *', true], // TestParseSchedule, standardParser
  ['CRON_TZ=UTC  5 * * * *', true], // TestParseSchedule, standardParser
  ['5 j * * *', false], // TestStandardSpecSchedule: "failed to parse int from"
  ['* * * *', false], // TestStandardSpecSchedule: "expected exactly 5 fields"
  ['', false], // TestParseScheduleErrors: "empty spec string"
  ['0 5 * * * *', false], // TestParseSchedule's secondParser form: 6 fields, KEDA has no seconds
  ['@every 5m', false], // TestNoDescriptorParser: a parser without Descriptor refuses descriptors
  ['@every 1m', false], // TestNoDescriptorParser
  ['@midnight', false],
  ['TZ=UTC  @midnight', false],
  ['@yearly', false],
  ['@annually', false],
  ['@unrecognized', false],
];

/** The parser's behaviour read from parser.go (v3.0.1) and spec.go, one row per rule. */
const PARSER_RULES: Array<[string, boolean, string]> = [
  ['0 8 * * MON-FRI', true, 'day names, upper case'],
  ['0 8 * * mon,wed,Fri', true, 'day names, any case, in a list'],
  ['0 8 1 JAN-MAR *', true, 'month names'],
  ['0 8 * * monday', false, 'only three-letter names'],
  ['0 8 * * 7', false, 'day-of-week is 0-6: 7 is not Sunday'],
  ['0 8 * * 0', true, 'Sunday is 0'],
  ['0 8 ? * *', true, "'?' is '*'"],
  ['*/15 * * * *', true, 'step on *'],
  ['5/15 * * * *', true, "'a/n' runs from a to the maximum"],
  ['0 */25 * * *', true, 'a step larger than the range selects the start only'],
  ['+5 8 * * *', true, "Go's Atoi accepts a leading '+'"],
  ['05 08 * * *', true, 'leading zeros'],
  ['*-5 8 * * *', true, "'*' ignores what follows its hyphen (parser quirk)"],
  ['1,,2 8 * * *', true, 'empty list items are skipped'],
  ['0\t8\n* * *', true, 'any whitespace separates fields'],
  ['  0 8 * * *  ', true, 'surrounding whitespace'],
  ['TZ=Europe/Berlin 0 8 * * *', true, 'TZ= prefix'],
  ['TZ= 0 8 * * *', true, 'an empty zone is UTC'],
  ['TZ=Nowhere/City 0 8 * * *', false, 'the zone must load'],
  [' TZ=UTC 0 8 * * *', false, 'the prefix must come first'],
  ['0 8 * * 1-5/2/1', false, 'too many slashes'],
  ['0 8 * * 1-2-3', false, 'too many hyphens'],
  ['0 8 * * -1', false, 'no negative numbers'],
  ['0 8 * * 1.5', false, 'integers only'],
  ['0 8 L * *', false, "no 'L'"],
  ['0 8 * * 1#2', false, "no '#'"],
  ['0 8 15W * *', false, "no 'W'"],
  ['0 8 32 * *', false, 'day-of-month 1-31'],
  ['0 8 * 0 *', false, 'month 1-12'],
];

describe('KEDA cron scaler metadata (keda v2.20.2 cron_scaler_test.go)', () => {
  test.each(KEDA_CRON_METADATA)('start %j end %j: accepted %s', (start, end, accepted) => {
    expect(cronProblem(start) === undefined && cronProblem(end) === undefined).toBe(accepted);
  });
});

describe('robfig/cron getRange (parser_test.go TestRange)', () => {
  test.each(ROBFIG_RANGE)('%s in %i-%i', (expr, min, max, expected) => {
    const field = { name: 'test', min, max };
    if (expected instanceof RegExp) {
      expect(cronRangeProblem(expr, field)).toMatch(expected);
    } else {
      expect(cronRangeProblem(expr, field)).toBeUndefined();
      expect(cronFieldValues(expr, field).values).toEqual(expected);
    }
  });
});

describe('robfig/cron getField (parser_test.go TestField)', () => {
  test.each(ROBFIG_FIELD)('%s in %i-%i', (expr, min, max, expected) => {
    expect(cronFieldValues(expr, { name: 'test', min, max }).values).toEqual(expected);
  });
});

describe('robfig/cron Parse, with KEDA\'s options (parser_test.go)', () => {
  test.each(ROBFIG_PARSE)('%j: accepted %s', (spec, accepted) => {
    expect(cronProblem(spec) === undefined).toBe(accepted);
  });
});

describe('robfig/cron parser rules (parser.go, spec.go)', () => {
  test.each(PARSER_RULES)('%j: accepted %s (%s)', (spec, accepted) => {
    expect(cronProblem(spec) === undefined).toBe(accepted);
  });
});

describe('field bounds, star bits, normalization, schedules that never fire', () => {
  test('the bounds are robfig\'s', () => {
    expect(CRON_FIELDS.map((f) => [f.name, f.min, f.max])).toEqual([
      ['minute', 0, 59], ['hour', 0, 23], ['day-of-month', 1, 31], ['month', 1, 12], ['day-of-week', 0, 6],
    ]);
  });

  test('errors name the field and its range', () => {
    expect(cronProblem('0 24 * * *')).toEqual({ field: 'hour', message: "hour field: '24' goes above 23; the hour field takes 0-23" });
    expect(cronProblem('0 8 * 13 *')?.message).toBe("month field: '13' goes above 12; the month field takes 1-12 or JAN-DEC");
    expect(cronProblem('0 8 * * sun-sat/0')?.field).toBe('day-of-week');
  });

  test('star bit: * and */1 are unrestricted, */2 is not', () => {
    expect(cronFieldValues('*', CRON_FIELDS[4]).star).toBe(true);
    expect(cronFieldValues('*/1', CRON_FIELDS[4]).star).toBe(true);
    expect(cronFieldValues('*/2', CRON_FIELDS[4])).toEqual({ values: [0, 2, 4, 6], star: false });
  });

  test('normalization keeps the schedule and the zone prefix', () => {
    expect(normalizeCron(' 30  7 * * 1-5 ')).toBe('30 7 * * 1-5');
    expect(normalizeCron('TZ=Europe/Berlin   0 8 * * *')).toBe('TZ=Europe/Berlin 0 8 * * *');
    expect(parseCron('CRON_TZ=Asia/Tokyo 0 8 * * *').timeZone).toBe('Asia/Tokyo');
  });

  test.each<[string, RegExp | undefined]>([
    ['0 8 * * *', undefined],
    ['0 , * * *', /hour field ',' selects no value/],
    ['0 8 30 2 *', /no selected month has day 30/],
    ['0 8 31 4,6,9,11 *', /no selected month has day 31/],
    ['0 8 29 2 *', undefined], // leap years occur within robfig's five-year search
    ['0 8 30 2 MON', undefined], // day-of-month OR day-of-week when neither is '*'
    ['0 8 30 2 */2', undefined], // '*/2' is not a star: OR again
    ['0 8 31 * *', undefined],
  ])('never fires: %j', (spec, expected) => {
    const reason = cronNeverFires(parseCron(spec));
    if (expected) expect(reason).toMatch(expected);
    else expect(reason).toBeUndefined();
  });
});
