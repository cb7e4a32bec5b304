import { describe, expect, it } from 'vitest';
import { DEFAULT_JSON_FORMAT, jsonFormatOf, parseJsonSettings, serializeJsonSettings } from './json-settings.ts';

const roundTrip = (text: string) => serializeJsonSettings(parseJsonSettings(text), jsonFormatOf(text));

describe('jsonFormatOf and serializeJsonSettings', () => {
  it.each([
    ['two spaces', '{\n  "a": 1,\n  "b": {\n    "c": [\n      1\n    ]\n  }\n}\n'],
    ['four spaces', '{\n    "a": 1,\n    "b": {\n        "c": true\n    }\n}\n'],
    ['tabs', '{\n\t"a": 1,\n\t"b": {\n\t\t"c": null\n\t}\n}\n'],
    ['no final newline', '{\n  "a": 1\n}'],
    ['CRLF', '{\r\n  "a": 1,\r\n  "b": [\r\n    "x"\r\n  ]\r\n}\r\n'],
    ['a byte-order mark', '\uFEFF{\n  "a": 1\n}\n'],
    ['everything at once', '\uFEFF{\r\n\t"a": {\r\n\t\t"b": 1\r\n\t}\r\n}'],
  ])('writes a file laid out with %s as it was', (_, text) => {
    expect(roundTrip(text)).toBe(text);
  });

  it('lays out a new or empty file as the agents do', () => {
    expect(jsonFormatOf(null)).toEqual(DEFAULT_JSON_FORMAT);
    expect(jsonFormatOf('')).toEqual(DEFAULT_JSON_FORMAT);
    expect(serializeJsonSettings({ a: { b: 1 } })).toBe('{\n  "a": {\n    "b": 1\n  }\n}\n');
  });

  it('indents a one-line file with two spaces and keeps its missing newline', () => {
    expect(roundTrip('{"a": {"b": 1}}')).toBe('{\n  "a": {\n    "b": 1\n  }\n}');
  });
});
