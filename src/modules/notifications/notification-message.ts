import type { CanonicalEvent } from '../events/event.ts';
import type { Session } from '../sessions/session.ts';
import type { ChannelMessage, MessageField, NotificationKind, Priority } from '../channels/channel-message.ts';
import { renderMessageTemplate } from '../rules/message-template.ts';
import type { RuleTemplate } from '../rules/rule.ts';

export interface MessageInput {
  kind: NotificationKind;
  priority: Priority;
  event: CanonicalEvent;
  session: Session | null;
  rule: { rule_id: string; name: string; template?: RuleTemplate };
  /** The dashboard's session page, when hookd knows its public address. */
  url?: string;
}

const EXCERPT = 500;

/**
 * The built-in message of each kind, what a person needs to act without opening anything:
 * the tool and command of a permission prompt, where the agent waits, what a stopped session
 * did. A rule's template, when it has one, replaces the text, and the title when it gives one.
 */
export function buildMessage(input: MessageInput): ChannelMessage {
  const { event, session, kind } = input;
  const data = event.data ?? {};
  const tool = str(data.tool_name);
  const where: MessageField[] = [
    field('Project', session?.project ?? str(data.cwd)),
    field('Branch', session?.git_branch),
    field('Terminal', session?.terminal),
  ].filter((f): f is MessageField => f !== null);
  let title: string;
  let text: string;
  let fields: MessageField[];
  switch (kind) {
    case 'permission': {
      const what = toolTarget(data.tool_input);
      title = tool ? `Permission requested: ${tool}` : 'Permission requested';
      text =
        str(data.message) ??
        (tool ? `The agent asks to use ${tool}${what ? `: ${what}` : ''}` : 'The agent is waiting for a permission decision');
      fields = [field('Tool', tool), field(what?.startsWith('/') ? 'File' : 'Command', what), ...where].filter(isField);
      break;
    }
    case 'input':
      title = str(data.title) ?? 'Waiting for your input';
      text = str(data.message) ?? 'The agent is waiting for you';
      fields = where;
      break;
    case 'stop':
    case 'session_end': {
      const reason = str(data.reason);
      title = kind === 'stop' ? 'Agent stopped' : `Session ended${reason ? ` (${reason})` : ''}`;
      // Gemini CLI: prompt_response; Codex's notify program: last-assistant-message.
      const last = str(data.last_assistant_message) ?? str(data.prompt_response) ?? str(data['last-assistant-message']);
      text = excerpt(last) ?? (kind === 'stop' ? 'The agent finished its turn' : 'The session is over');
      fields = [...where, ...sessionFigures(session, Date.parse(event.timestamp))];
      break;
    }
    case 'failure':
      if (event.event_type === 'agent_stop_failed') {
        const details =
          typeof data.error_details === 'object' && data.error_details !== null ? (data.error_details as Record<string, unknown>) : {};
        title = `Turn ended in an API error${str(data.error) ? `: ${str(data.error)}` : ''}`;
        text = excerpt(str(details.message)) ?? excerpt(str(data.last_assistant_message)) ?? 'The agent stopped on an API error';
        fields = [...where, ...sessionFigures(session, Date.parse(event.timestamp))];
        break;
      }
      title = tool ? `Tool failed: ${tool}` : 'A tool call failed';
      text = excerpt(str(data.error)) ?? 'The tool call failed';
      fields = [
        field('Command', toolTarget(data.tool_input)),
        field('Failures this session', session ? String(session.failures) : null),
        ...where,
      ].filter(isField);
      break;
    default:
      title = input.rule.name;
      text = `Rule ${input.rule.rule_id} matched ${event.event_type}${tool ? ` (${tool})` : ''}`;
      fields = [field('Tool', tool), ...where].filter(isField);
  }
  if (input.rule.template) {
    const rendered = renderMessageTemplate(input.rule.template, { event, session });
    if (rendered.title !== undefined) title = rendered.title;
    if (rendered.text !== undefined) text = rendered.text;
  }
  return {
    kind,
    priority: input.priority,
    title,
    text,
    fields,
    ...(input.url ? { url: input.url } : {}),
    context: {
      session_id: event.session_id,
      event_id: event.event_id,
      event_type: event.event_type,
      team_id: event.team_id ?? session?.team_id ?? null,
      rule_id: input.rule.rule_id,
      project: session?.project ?? null,
      timestamp: event.timestamp,
    },
  };
}

function sessionFigures(session: Session | null, at: number): MessageField[] {
  if (!session) return [];
  const started = Date.parse(session.started_at);
  const end = session.ended_at ? Date.parse(session.ended_at) : at;
  return [
    { name: 'Duration', value: duration(Math.max(0, end - started)) },
    { name: 'Tool calls', value: String(session.tool_calls) },
    { name: 'Failures', value: String(session.failures) },
  ];
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** What a tool call works on: a command, a file, a URL, a pattern. */
function toolTarget(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const i = input as Record<string, unknown>;
  return excerpt(str(i.command) ?? str(i.file_path) ?? str(i.url) ?? str(i.pattern) ?? str(i.path));
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const excerpt = (text: string | null) => (text === null ? null : text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text);
const field = (name: string, value: string | null | undefined): MessageField | null => (value ? { name, value } : null);
const isField = (f: MessageField | null): f is MessageField => f !== null;
