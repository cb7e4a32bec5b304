/**
 * A rule's message template: text with `{{field.path}}` placeholders, the paths of rule
 * conditions (`data.tool_name`, `session.project`, `event.event_type`). A value that is
 * missing renders empty; an object or array renders as compact JSON; every value is cut to
 * MAX_PLACEHOLDER_LENGTH so one large field cannot make the message.
 */
import { lookupField, MISSING, parseFieldPath, type FieldPath } from './field-path.ts';
import type { RuleContext } from './rule.ts';

export const MAX_TEMPLATE_LENGTH = 2_000;
export const MAX_PLACEHOLDERS = 50;
export const MAX_PLACEHOLDER_LENGTH = 500;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export type TemplatePart = string | FieldPath;
export type TemplateResult = { ok: true; parts: TemplatePart[] } | { ok: false; message: string };

export function parseTemplate(template: string): TemplateResult {
  if (template.length > MAX_TEMPLATE_LENGTH) return { ok: false, message: `a template has at most ${MAX_TEMPLATE_LENGTH} characters` };
  const parts: TemplatePart[] = [];
  let last = 0;
  let count = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (++count > MAX_PLACEHOLDERS) return { ok: false, message: `a template has at most ${MAX_PLACEHOLDERS} placeholders` };
    const parsed = parseFieldPath(match[1]!);
    if (!parsed.ok) return { ok: false, message: `{{${match[1]}}}: ${parsed.message}` };
    if (match.index > last) parts.push(template.slice(last, match.index));
    parts.push(parsed.path);
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return { ok: true, parts };
}

export function renderTemplate(parts: readonly TemplatePart[], context: RuleContext): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const root = part.root === 'event' ? context.event : context.session;
      const value = lookupField(root, part.segments, part.indices);
      if (value === MISSING || value === null) return '';
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
      return text.length > MAX_PLACEHOLDER_LENGTH ? `${text.slice(0, MAX_PLACEHOLDER_LENGTH - 1)}…` : text;
    })
    .join('');
}
