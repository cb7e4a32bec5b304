/**
 * Patterns of `regex` conditions. Team admins write them and they run on every event, so they
 * go through re2js, which matches in time linear in the input: it has no backtracking, hence
 * no backreferences (`\1`) and no lookarounds (`(?=`, `(?!`, `(?<=`, `(?<!`), the features that
 * make a backtracking engine exponential. A pattern re2js cannot compile is refused with its
 * message. Syntax is RE2's (https://github.com/google/re2/wiki/Syntax): no `/.../flags`
 * delimiters; flags go inline, `(?i)error`. A condition matches when the pattern is found
 * anywhere in the string (anchor with ^ and $ for the whole string).
 */
import { RE2JS, RE2JSException } from 're2js';
import { MAX_REGEX_LENGTH, MAX_REGEX_PROGRAM } from './rule.ts';

export type RuleRegexResult = { ok: true; regex: RE2JS } | { ok: false; message: string };

export function compileRuleRegex(pattern: string): RuleRegexResult {
  if (pattern.length > MAX_REGEX_LENGTH) return { ok: false, message: `a pattern has at most ${MAX_REGEX_LENGTH} characters` };
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch (err) {
    if (!(err instanceof RE2JSException)) throw err;
    return { ok: false, message: `${err.message} (RE2 syntax: no backreferences or lookarounds)` };
  }
  const size = programSize(regex);
  if (size > MAX_REGEX_PROGRAM) {
    return {
      ok: false,
      message: `the pattern compiles to ${size} instructions, more than ${MAX_REGEX_PROGRAM}: shorten its counted repetitions`,
    };
  }
  return { ok: true, regex };
}

// The compiled program is declared in re2js's types (`prog: any`) but not documented; when a
// later version moves it, only the pattern length bounds the cost.
function programSize(regex: RE2JS): number {
  const inst: unknown = regex.re2Input?.prog?.inst;
  return Array.isArray(inst) ? inst.length : 0;
}
