import { describe, expect, it } from 'vitest';
import {
  MAX_LOOP_ITEMS,
  MAX_PLACEHOLDER_LENGTH,
  MAX_TAGS,
  MAX_TEMPLATE_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
  parseTemplate,
  renderMessageTemplate,
  renderTemplate,
} from './message-template.ts';
import type { RuleContext } from './rule.ts';

const context: RuleContext = {
  event: {
    event_type: 'tool_execution_failed',
    session_id: 's1',
    data: {
      tool_name: 'Bash',
      tool_input: { command: 'npm test', edits: [{ file_path: 'a.ts' }, { file_path: 'b.ts' }] },
      error: 'exit 1',
      markup: '<b>a & b</b> "q"',
      tags: ['x', 'y'],
      empty: [],
      nothing: null,
    },
  },
  session: { project: 'billing', git_branch: 'main', failures: 2 },
};

function render(source: string, ctx: RuleContext = context, maxLength?: number): string {
  const parsed = parseTemplate(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return renderTemplate(parsed.template, ctx, maxLength === undefined ? {} : { maxLength });
}

function refusal(source: string): string {
  const parsed = parseTemplate(source);
  if (parsed.ok) throw new Error(`${source} parsed`);
  return parsed.message;
}

describe('message templates', () => {
  it('renders the templates of before as before: field paths of conditions, missing values empty', () => {
    expect(render('{{data.tool_name}} failed in {{session.project}} ({{event.event_type}}){{data.missing}}')).toBe(
      'Bash failed in billing (tool_execution_failed)',
    );
    expect(render('{{ data.tool_name }}: {{data.error}}, {{session.failures}} failures')).toBe('Bash: exit 1, 2 failures');
    expect(render('{{data.tool_input.edits.1.file_path}} {{event.data.tool_name}}')).toBe('b.ts Bash');
    expect(render('[{{data.nothing}}][{{session.nope.deeper}}][{{data.tags.length}}]')).toBe('[][][]');
    expect(render('{{session.project}}', { event: { data: {} }, session: null })).toBe('');
  });

  it('shows a section when its value is there and an inverted section when it is not', () => {
    const branch =
      '{{#session.git_branch}}on {{session.git_branch}}{{/session.git_branch}}{{^session.git_branch}}no branch{{/session.git_branch}}';
    expect(render(branch)).toBe('on main');
    expect(render(branch, { event: { data: {} }, session: { project: 'p' } })).toBe('no branch');
    expect(render('{{#data.error}}error: {{.}}{{/data.error}}')).toBe('error: exit 1');
    expect(render('{{^data.empty}}no items{{/data.empty}}{{^data.nothing}}, null{{/data.nothing}}')).toBe('no items, null');
  });

  it('loops over arrays, names inside relative to the item and then outwards', () => {
    expect(render('{{#data.tool_input.edits}}{{file_path}} in {{session.project}}; {{/data.tool_input.edits}}')).toBe(
      'a.ts in billing; b.ts in billing; ',
    );
    expect(render('{{#data.tags}}[{{.}}]{{/data.tags}}')).toBe('[x][y]');
  });

  it('renders comments as nothing and {{{x}}} or {{&x}} as {{x}}', () => {
    expect(render('{{! who reads this }}{{{data.tool_name}}} {{&data.tool_name}}')).toBe('Bash Bash');
  });

  it('escapes nothing: the output is plain text', () => {
    expect(render('{{data.markup}} & <{{data.tool_name}}>')).toBe('<b>a & b</b> "q" & <Bash>');
  });

  it('renders objects and arrays as compact JSON, not [object Object]', () => {
    expect(render('{{data.tool_input.edits.0}} {{data.tags}}')).toBe('{"file_path":"a.ts"} ["x","y"]');
  });

  it('cuts each value, and the whole output to its maximum with …', () => {
    const long = { event: { data: { s: 'x'.repeat(10_000) } } };
    expect(render('{{data.s}}', long)).toBe(`${'x'.repeat(MAX_PLACEHOLDER_LENGTH - 1)}…`);
    const many = render(`${'{{data.s}}'.repeat(20)}`, long);
    expect(many.length).toBe(MAX_TEXT_LENGTH);
    expect(many.endsWith('…')).toBe(true);
    expect(render('{{data.s}}', long, 50)).toBe(`${'x'.repeat(49)}…`);
  });

  it('bounds the work of loops over huge arrays, nested or not', () => {
    const huge = { event: { data: { items: Array.from({ length: 100_000 }, (_, i) => i) } } };
    expect(render('{{#data.items}}.{{/data.items}}', huge)).toBe('.'.repeat(MAX_LOOP_ITEMS));
    expect(render('{{data.items}}', huge)).toBe(JSON.stringify(huge.event.data.items.slice(0, MAX_LOOP_ITEMS)));
    // Four nested loops with an empty body would be 10^8 iterations uncut, 10^20 at array length.
    const nested = `${'{{#data.items}}'.repeat(4)}{{/data.items}}{{/data.items}}{{/data.items}}{{/data.items}}`;
    const started = performance.now();
    expect(render(nested, huge)).toBe('…');
    const printing = render(`${'{{#data.items}}'.repeat(3)}{{.}}{{/data.items}}{{/data.items}}{{/data.items}}`, huge);
    expect(printing.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(printing.endsWith('…')).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses partials, delimiter changes and names that are not field paths, naming the tag', () => {
    expect(refusal('hi {{> footer}}')).toBe('{{>footer}}: partials are not supported');
    expect(refusal('{{=<% %>=}}<% data.x %>')).toBe('{{=<% %>=}}: changing the delimiters is not supported');
    expect(refusal('{{tool_name}}')).toMatch(/^\{\{tool_name\}\}: a field path starts with event, data, session/);
    expect(refusal('{{#branch}}x{{/branch}}')).toMatch(/^\{\{#branch\}\}: a field path starts with/);
    expect(refusal('{{^data}}x{{/data}}')).toMatch(/^\{\{\^data\}\}: "data" needs a field below it/);
    expect(refusal('{{data.__proto__.x}}')).toBe('{{data.__proto__.x}}: "__proto__" is not allowed in a field path');
    expect(refusal('{{#data.tags}}{{constructor}}{{/data.tags}}')).toBe('{{constructor}}: "constructor" is not allowed in a field path');
    expect(refusal('{{#data.tags}}{{a..b}}{{/data.tags}}')).toMatch(/^\{\{a\.\.b\}\}: a field path has no empty segments/);
    expect(refusal('{{}}')).toBe('{{}}: an empty tag');
    expect(refusal('{{.}}')).toBe('{{.}}: {{.}} is the value of a section: only inside {{#...}} or {{^...}}');
  });

  it('refuses what does not parse and what is too large', () => {
    expect(refusal('{{#data.x}}open')).toBe('not a valid template: Unclosed section "data.x" at 15');
    expect(refusal('{{#data.x}}{{/data.y}}')).toMatch(/^not a valid template: Unclosed section "data.x"/);
    expect(refusal('{{data.x')).toMatch(/^not a valid template: Unclosed tag/);
    expect(refusal('x'.repeat(MAX_TEMPLATE_LENGTH + 1))).toBe(`a template has at most ${MAX_TEMPLATE_LENGTH} characters`);
    expect(refusal('{{data.x}}'.repeat(MAX_TAGS + 1))).toBe(`a template has at most ${MAX_TAGS} tags`);
    expect(refusal(`${'{{#data.x}}'.repeat(9)}${'{{/data.x}}'.repeat(9)}`)).toMatch(/sections nest at most 8 deep/);
  });

  it('never calls a function or reads past own properties', () => {
    const tricky = { event: { data: { list: [[1, 2, 3]], text: 'abc' } } };
    // Inside a loop over an array of arrays, `pop` would be Array.prototype.pop if lookups followed the prototype.
    expect(render('{{#data.list}}{{pop}}{{#reverse}}x{{/reverse}}{{.}}{{/data.list}}', tricky)).toBe('[1,2,3]');
    expect(tricky.event.data.list[0]).toEqual([1, 2, 3]);
    expect(render('{{#data.text}}{{toUpperCase}}{{length}}{{/data.text}}', tricky)).toBe('');
  });

  it('renders a string as the text and {title, text} as both; a title is one bounded line', () => {
    expect(renderMessageTemplate('{{data.tool_name}} failed', context)).toEqual({ text: 'Bash failed' });
    expect(renderMessageTemplate({ title: '{{session.project}}:\n{{data.tool_name}}', text: 'x' }, context)).toEqual({
      title: 'billing: Bash',
      text: 'x',
    });
    expect(renderMessageTemplate({ title: '{{data.missing}}  ' }, context)).toEqual({});
    const title = renderMessageTemplate({ title: `${'{{data.error}} '.repeat(60)}` }, context).title!;
    expect(title.length).toBe(MAX_TITLE_LENGTH);
    const empty = new Set<string>();
    renderMessageTemplate(
      '{{data.tool_name}}{{data.tol_name}}{{#data.tags}}{{nope}}{{/data.tags}}{{#data.nothing}}{{/data.nothing}}',
      context,
      empty,
    );
    expect([...empty]).toEqual(['data.tol_name', 'nope']);
  });
});
