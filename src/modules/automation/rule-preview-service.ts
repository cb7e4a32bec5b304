import type { Limits } from '../../core/config.ts';
import { ValidationError, type FieldProblem } from '../../core/app-error.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import type { ChannelMessage, NotificationKind } from '../channels/channel-message.ts';
import type { CanonicalEvent } from '../events/event.ts';
import type { EventQueryService } from '../events/event-query-service.ts';
import { notificationKindOf } from '../notifications/notification-kind.ts';
import { buildMessage } from '../notifications/notification-message.ts';
import { renderMessageTemplate } from '../rules/message-template.ts';
import { ProblemList } from '../rules/problem-list.ts';
import type { RuleTemplate } from '../rules/rule.ts';
import { validateTemplate } from '../rules/rule-validator.ts';
import type { Session, SessionStore } from '../sessions/session.ts';
import { canonicalOf } from './rule-test-service.ts';

export interface RulePreviewInput {
  /** A rule's template: the text, or `{title?, text?}`. */
  template: unknown;
  /** A stored event, read with the caller's binding. */
  event_id?: string;
  /** Or an event as `POST /rules/test` takes it: canonical, or an agent's hook payload. */
  event?: unknown;
  /** The session the template sees; default: the stored session of the event's session_id. */
  session?: Record<string, unknown>;
  /** The notification kind, which picks the built-in title and fields; default: the event's. */
  kind?: NotificationKind;
}

export interface RulePreviewResult {
  title: string;
  text: string;
  /** The whole message a firing would store and send, before any service's format. */
  message: ChannelMessage;
  /** Variables that rendered empty for this event: a misspelt path shows up here. */
  problems: FieldProblem[];
}

/** The rule a preview renders for: `rule` messages show its name and id. */
const PREVIEW_RULE = { rule_id: 'preview', name: 'Rule preview' };
const MAX_PROBLEMS = 20;

/**
 * `POST /rules/preview` and `hookd rules preview`: a template rendered against a stored or
 * given event into the message a firing would send (buildMessage, as a rules pass calls it).
 * Nothing is stored.
 */
export class RulePreviewService {
  private readonly events: EventQueryService;
  private readonly sessions: SessionStore;
  private readonly limits: Limits;
  private readonly publicUrl: string | null;

  constructor(events: EventQueryService, sessions: SessionStore, limits: Limits, publicUrl: string | null) {
    this.events = events;
    this.sessions = sessions;
    this.limits = limits;
    this.publicUrl = publicUrl;
  }

  async preview(input: RulePreviewInput, scope: ReadScope = {}): Promise<RulePreviewResult> {
    const problems = new ProblemList();
    const template = validateTemplate(input.template, '/template', problems);
    if (!template) throw new ValidationError(problems.list().map((p) => ({ field: fieldOf(p.path), message: p.message })));
    const event = await this.eventOf(input, scope);
    const session = (input.session as Session | undefined) ?? (await this.sessions.get(event.session_id, scope));
    const url = this.publicUrl ? `${this.publicUrl.replace(/\/$/, '')}/ui/sessions/${encodeURIComponent(event.session_id)}` : undefined;
    const message = buildMessage({
      kind: input.kind ?? notificationKindOf(event),
      priority: 'normal',
      event,
      session,
      rule: { ...PREVIEW_RULE, template },
      ...(url ? { url } : {}),
    });
    return { title: message.title, text: message.text, message, problems: emptyVariables(template, { event, session }) };
  }

  private async eventOf(input: RulePreviewInput, scope: ReadScope): Promise<CanonicalEvent> {
    if ((input.event_id === undefined) === (input.event === undefined)) {
      throw new ValidationError([{ field: 'event_id', message: 'give event_id (a stored event) or event, one of them' }]);
    }
    // Another team's event (or, for a session-bound caller, another session's) is 404 as a missing one.
    if (input.event_id !== undefined) return this.events.get(input.event_id, scope);
    return canonicalOf(input.event, this.limits);
  }
}

/** The variables of each part that rendered empty, named by the part: `template.title`. */
function emptyVariables(template: RuleTemplate, context: { event: CanonicalEvent; session: Session | null }): FieldProblem[] {
  const parts: [string, RuleTemplate][] =
    typeof template === 'string'
      ? [['template', template]]
      : (['title', 'text'] as const).filter((p) => template[p] !== undefined).map((p) => [`template.${p}`, { [p]: template[p] }]);
  const out: FieldProblem[] = [];
  for (const [field, part] of parts) {
    const empty = new Set<string>();
    renderMessageTemplate(part, context, empty);
    for (const name of empty) out.push({ field, message: `{{${name}}} renders empty for this event` });
  }
  return out.slice(0, MAX_PROBLEMS);
}

/** `/template/title` as the API names fields: `template.title`. */
const fieldOf = (path: string) => path.slice(1).replaceAll('/', '.');
