/**
 * A rule's message template: Mustache (https://mustache.github.io/mustache.5.html) through the
 * `mustache` package, logic-less. Variables are the field paths of rule conditions
 * (`{{data.tool_name}}`, `{{session.project}}`, `{{event.event_type}}`, `{{data.edits.0.file}}`);
 * sections (`{{#session.git_branch}}on {{.}}{{/session.git_branch}}`) show their body when the
 * value is there, once per item of an array; inverted sections (`{{^...}}`) when it is not;
 * comments (`{{! ... }}`) render nothing. Inside a section a name is looked up in the section's
 * value first, then outwards, as Mustache does.
 *
 * No code runs: partials and set-delimiter tags are refused when the template is parsed, names
 * are checked against the field-path grammar, and lookups read own properties only and never
 * return a function, so a template cannot call a method (Mustache calls any function it finds).
 *
 * The output is plain text: nothing is HTML-escaped (the channels escape for their own
 * formats); every value is cut to MAX_PLACEHOLDER_LENGTH, objects and arrays render as compact
 * JSON, a missing value or null renders empty. What one rendering costs is bounded: arrays are
 * cut to MAX_LOOP_ITEMS, the walk stops after MAX_RENDER_STEPS tokens, and the result is cut to
 * its maximum with `…`.
 */
import Mustache from 'mustache';
import { lookupField, MISSING, parseFieldPath } from './field-path.ts';
import type { RuleContext, RuleTemplate } from './rule.ts';

export const MAX_TEMPLATE_LENGTH = 2_000;
/** Variables and sections of one template (comments and text not counted). */
export const MAX_TAGS = 100;
export const MAX_SECTION_DEPTH = 8;
export const MAX_PLACEHOLDER_LENGTH = 500;
/** A rendered text; a rendered title is one line of at most MAX_TITLE_LENGTH. */
export const MAX_TEXT_LENGTH = 4_000;
export const MAX_TITLE_LENGTH = 250;
/** Items of an array a section loops over (and an array rendered as JSON shows). */
export const MAX_LOOP_ITEMS = 100;
/** Tokens one rendering walks: nested loops over 100 items each would otherwise multiply. */
export const MAX_RENDER_STEPS = 10_000;
/** Parsed templates kept; rules render the same few templates on every firing. */
const MAX_CACHED_TEMPLATES = 500;

const TAGS: Mustache.OpeningAndClosingTags = ['{{', '}}'];

/** A parsed token as mustache makes it: [type, value, start, end, children of a section, ...]. */
type Token = [string, string, number, number, Token[]?, ...unknown[]];

export interface CompiledTemplate {
  readonly source: string;
  readonly tokens: readonly Token[];
}

export type TemplateResult = { ok: true; template: CompiledTemplate } | { ok: false; message: string };

// mustache's module-level functions (Mustache.parse, Mustache.render) keep every template they
// see in an unbounded cache on a shared writer. This writer keeps none; parsed templates are
// kept in `cache` below, at most MAX_CACHED_TEMPLATES, the least recently used dropped first.
const cache = new Map<string, TemplateResult>();

/** The template parsed and checked, or why it is refused (the message names the tag). */
export function parseTemplate(source: string): TemplateResult {
  if (source.length > MAX_TEMPLATE_LENGTH) return { ok: false, message: `a template has at most ${MAX_TEMPLATE_LENGTH} characters` };
  const cached = cache.get(source);
  if (cached) {
    cache.delete(source);
    cache.set(source, cached);
    return cached;
  }
  const result = compile(source);
  if (cache.size >= MAX_CACHED_TEMPLATES) cache.delete(cache.keys().next().value!);
  cache.set(source, result);
  return result;
}

function compile(source: string): TemplateResult {
  let tokens: Token[];
  try {
    tokens = writer.parse(source, TAGS) as Token[];
  } catch (error) {
    return { ok: false, message: `not a valid template: ${(error as Error).message}` };
  }
  const problem = check(tokens, 0, { tags: 0 });
  return problem === null ? { ok: true, template: { source, tokens } } : { ok: false, message: problem };
}

/**
 * The first problem of a token tree, or null. Names outside any section are field paths
 * (event., data., session.); inside a section they are relative to its value (`.`, `file_path`,
 * `edits.0`) and may also be field paths, so they follow the grammar of a path below a root.
 */
function check(tokens: Token[], depth: number, count: { tags: number }): string | null {
  for (const token of tokens) {
    const [type, name] = token;
    if (type === 'text' || type === '!') continue;
    if (type === '>') return `${tag(type, name)}: partials are not supported`;
    if (type === '=') return `${tag(type, name)}: changing the delimiters is not supported`;
    if (++count.tags > MAX_TAGS) return `a template has at most ${MAX_TAGS} tags`;
    const problem = checkName(name, depth);
    if (problem) return `${tag(type, name)}: ${problem}`;
    // Nothing is escaped, so {{{x}}} and {{&x}} are {{x}}: rendered through the same cut.
    if (type === '&') token[0] = 'name';
    if (type === '#' || type === '^') {
      if (depth + 1 > MAX_SECTION_DEPTH) return `${tag(type, name)}: sections nest at most ${MAX_SECTION_DEPTH} deep`;
      const inner = check(token[4] ?? [], depth + 1, count);
      if (inner) return inner;
    }
  }
  return null;
}

function checkName(name: string, depth: number): string | null {
  if (name === '') return 'an empty tag';
  if (depth === 0) {
    if (name === '.') return '{{.}} is the value of a section: only inside {{#...}} or {{^...}}';
    const parsed = parseFieldPath(name);
    return parsed.ok ? null : parsed.message;
  }
  if (name === '.') return null;
  const parsed = parseFieldPath(`data.${name}`);
  return parsed.ok ? null : parsed.message;
}

const tag = (type: string, name: string) => {
  const shown = name.length > 60 ? `${name.slice(0, 59)}…` : name;
  return type === 'name' ? `{{${shown}}}` : type === '=' ? `{{=${shown}=}}` : `{{${type}${shown}}}`;
};

export interface RenderOptions {
  /** Where the output is cut (with `…`); default MAX_TEXT_LENGTH. */
  maxLength?: number;
  /** Collects the variables that rendered empty (missing or null), for a preview's problems. */
  empty?: Set<string>;
}

/** The template rendered over an event and its session: plain text, bounded. */
export function renderTemplate(template: CompiledTemplate, context: RuleContext, options: RenderOptions = {}): string {
  const limit = options.maxLength ?? MAX_TEXT_LENGTH;
  const budget: Budget = { steps: 0, chars: 0, limit, cut: false, ...(options.empty ? { empty: options.empty } : {}) };
  const event = context.event as Record<string, unknown>;
  // The roots of condition paths; no prototype, so that no name reaches Object.prototype.
  const view = Object.assign(Object.create(null) as Record<string, unknown>, {
    event,
    data: Object.hasOwn(event, 'data') ? event.data : undefined,
    session: context.session ?? undefined,
  });
  const root = new TemplateContext(view, undefined, budget);
  const out = writer.renderTokens(template.tokens as unknown as string[][], root, undefined, template.source, { escape: plain });
  return budget.cut || out.length > limit ? `${out.slice(0, limit - 1)}…` : out;
}

/** A rendered title and text; each absent when the template has none (or the title renders blank). */
export interface RenderedMessage {
  title?: string;
  text?: string;
}

/**
 * A rule's `template` rendered: a string is the text; an object may have a title and a text.
 * A part that does not parse (only possible for a template stored before it was checked)
 * is left out, so the built-in one stays.
 */
export function renderMessageTemplate(template: RuleTemplate, context: RuleContext, empty?: Set<string>): RenderedMessage {
  const parts = typeof template === 'string' ? { text: template } : template;
  const out: RenderedMessage = {};
  const options = empty ? { empty } : {};
  if (parts.title) {
    const parsed = parseTemplate(parts.title);
    if (parsed.ok) {
      // A title is one line: line breaks the template or a value holds become spaces.
      const title = renderTemplate(parsed.template, context, { ...options, maxLength: MAX_TITLE_LENGTH })
        .replace(/\s+/g, ' ')
        .trim();
      if (title) out.title = title;
    }
  }
  if (parts.text) {
    const parsed = parseTemplate(parts.text);
    if (parsed.ok) out.text = renderTemplate(parsed.template, context, options);
  }
  return out;
}

interface Budget {
  steps: number;
  chars: number;
  limit: number;
  /** Set once a bound is reached: nothing more is rendered, and the output ends with `…`. */
  cut: boolean;
  empty?: Set<string>;
}

/** Mustache's escape hook, used here to turn a value into plain text: strings as they are, the rest as JSON, cut. */
function plain(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > MAX_PLACEHOLDER_LENGTH ? `${text.slice(0, MAX_PLACEHOLDER_LENGTH - 1)}…` : text;
}

/**
 * Name lookup with the semantics of condition paths (own properties only, a digit segment
 * indexes an array; see field-path.ts), innermost section first, as Mustache looks names up.
 * Names were checked when the template was parsed. Never returns a function (Mustache would
 * call it) and cuts arrays to MAX_LOOP_ITEMS.
 */
class TemplateContext extends Mustache.Context {
  readonly budget: Budget;

  constructor(view: unknown, parent: TemplateContext | undefined, budget: Budget) {
    super(view, parent);
    this.budget = budget;
  }

  override push(view: unknown): TemplateContext {
    return new TemplateContext(view, this, this.budget);
  }

  override lookup(name: string): unknown {
    if (name === '.') return shown(this.view);
    const segments = name.split('.');
    const indices = segments.map((s) => (INDEX.test(s) ? Number(s) : -1));
    for (let context: Mustache.Context | undefined = this; context; context = context.parent) {
      const value = lookupField(context.view, segments, indices);
      if (value !== MISSING) return shown(value);
    }
    return undefined;
  }
}

// As field-path.ts: array indices as JSON has them.
const INDEX = /^(?:0|[1-9][0-9]{0,8})$/;

function shown(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  return Array.isArray(value) && value.length > MAX_LOOP_ITEMS ? value.slice(0, MAX_LOOP_ITEMS) : value;
}

/**
 * mustache's writer, its token loop counting against the budget: every token and every
 * section body is a step, every character output counts toward the limit. Partials and
 * set-delimiter tags never reach it (check() refuses them), nor `&` (made `name`).
 */
class BoundedWriter extends Mustache.Writer {
  override renderTokens(
    tokens: string[][],
    context: Mustache.Context,
    partials?: Mustache.PartialsOrLookupFn,
    originalTemplate?: string,
    config?: Mustache.RenderOptions,
  ): string {
    const budget = (context as TemplateContext).budget;
    let buffer = '';
    if (++budget.steps > MAX_RENDER_STEPS) budget.cut = true;
    for (const token of tokens) {
      if (budget.cut) break;
      if (++budget.steps > MAX_RENDER_STEPS) {
        budget.cut = true;
        break;
      }
      let value: string | undefined;
      if (token[0] === '#') value = this.renderSection(token, context, partials, originalTemplate, config);
      else if (token[0] === '^') value = this.renderInverted(token, context, partials, originalTemplate, config);
      else if (token[0] === 'name') {
        value = this.escapedValue(token, context, config) as string | undefined;
        if (!value) budget.empty?.add(token[1]!);
        budget.chars += value?.length ?? 0;
      } else if (token[0] === 'text') {
        value = token[1]!;
        budget.chars += value.length;
      }
      if (value) buffer += value;
      if (budget.chars > budget.limit) budget.cut = true;
    }
    return buffer;
  }
}

const writer = new BoundedWriter();
// No cache on this writer: see `cache` above.
(writer as unknown as { templateCache: Mustache.TemplateCache | undefined }).templateCache = undefined;
