/**
 * Secret detection for captured hook payloads. A string is first tested against PROBE, the
 * literals every rule starts from; only a string holding one is scanned by the combined
 * regex, in which each rule is one alternative, so one pass finds every kind. Each rule is
 * anchored on a literal (`-----BEGIN`, `://`, `AKIA`, a secret word ...) and never opens with
 * an unbounded class, which keeps the scan linear even on megabyte strings.
 */

export type SecretKind =
  | 'private_key'
  | 'bearer'
  | 'url_password'
  | 'aws_access_key'
  | 'github_token'
  | 'slack_token'
  | 'anthropic_key'
  | 'openai_key'
  | 'stripe_key'
  | 'google_api_key'
  | 'jwt'
  | 'cli_credential'
  | 'assignment';

export interface SecretPattern {
  kind: SecretKind;
  description: string;
}

/** One entry per kind, for the documentation (docs/data-model.md, "Capture policy"). */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'private_key',
    description:
      'PEM private key block, `-----BEGIN ... PRIVATE KEY-----` through its END line (or the key body when the END line is missing)',
  },
  { kind: 'bearer', description: 'the credential after `Bearer ` and the value of an `Authorization:` header (the scheme word is kept)' },
  { kind: 'url_password', description: 'the password in `scheme://user:password@host` (user and host are kept)' },
  { kind: 'aws_access_key', description: 'AWS access key id: `AKIA` or `ASIA` and 16 upper-case letters or digits' },
  { kind: 'github_token', description: 'GitHub token: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 characters, or `github_pat_...`' },
  { kind: 'slack_token', description: 'Slack token: `xoxa-`, `xoxb-`, `xoxp-`, `xoxr-`, `xoxs-` ...' },
  { kind: 'anthropic_key', description: 'Anthropic API key: `sk-ant-...`' },
  { kind: 'openai_key', description: 'OpenAI API key: `sk-...` or `sk-proj-...` (20+ characters, at least one digit)' },
  { kind: 'stripe_key', description: 'Stripe secret or restricted key: `sk_live_`, `rk_live_` (and `_test_`)' },
  { kind: 'google_api_key', description: 'Google API key: `AIza` + 35 characters' },
  { kind: 'jwt', description: 'JSON Web Token: three base64url segments, the first starting `eyJ`' },
  {
    kind: 'cli_credential',
    description:
      'the password of a command line: `curl -u user:password` and `--user user:password` (the user is kept), and `mysql -pPASSWORD` (also mysqldump, mysqladmin, mariadb)',
  },
  {
    kind: 'assignment',
    description:
      'the value in `name=value`, `name: value`, `"name": "value"` or `--name value` when the name ends in password, passwd, secret, secret_key, token, api_key, apikey, access_key, private_key or client_secret (any case); a string property with such a name is replaced whole',
  },
];

// Secret words a name must END with: `max_tokens`, `token_type` or `password_policy` are not secrets.
const SECRET_WORD = String.raw`(?:password|passwd|secret(?:[_-]?key)?|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret)`;
const SECRET_KEY_NAME = new RegExp(`${SECRET_WORD}$`, 'i');
const AUTH_KEY_NAME = /^(?:proxy-)?authorization$/i;
const AUTH_SCHEMES = String.raw`(?i:bearer|basic|token|bot|digest|apikey|key|negotiate|ntlm|oauth|jwt|aws4-hmac-sha256)`;
// Opaque tokens: 8+ characters with a digit, or 16+; prose words ("Bearer authentication") fail both.
// `=` anywhere, not only as padding: a token must be taken whole, or `Bearer x1=y...` keeps y.
const TOKEN = String.raw`(?:(?=[\w.~+/=-]*\d)[\w.~+/=-]{8,}|[\w.~+/=-]{16,})`;
// After a scheme word the credential is everything up to a delimiter (base64, token68, `k=v`).
const CREDENTIAL = String.raw`[^\s"'${'`'}\\,;<>()[\]{}]{4,}`;
const NOT_DONE = String.raw`(?!\[REDACTED:)`;
// A credential never starts a PEM block: that rule must see the whole block.
const NOT_PEM = String.raw`(?!-----)`;
const AUTH_PREFIX = String.raw`\b(?:[Pp]roxy-)?[Aa]uthorization\\?["']?[ \t]*[:=][ \t]*\\?["']?`;
const VALUE_CHAR = String.raw`[^\s"'${'`'},;&<>(){}\\]`;
const VALUE_END = String.raw`[\s"'${'`'},;&<>(){}\\]|$`;
// A quoted string followed by a colon is the next key (`password= "api_key": "..."`), not a value.
const NOT_KEY = String.raw`(?!:)`;
const PEM_LABEL = String.raw`[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----`;

interface Rule {
  kind: SecretKind;
  // A leading `(?<pre>...)` is kept in front of the marker; the rest of the match is the secret.
  // No other capturing groups: the replacer finds the rule by group number.
  source: string;
}

const RULES: readonly Rule[] = [
  // Without an END line the body runs to the next punctuation: stopping inside a word could
  // leave the tail of a following secret (`sk_live_...`) where no rule can start.
  {
    kind: 'private_key',
    source: String.raw`-----BEGIN${PEM_LABEL}(?:(?:(?!-----BEGIN|\[REDACTED:)[\s\S])*?-----END${PEM_LABEL}|(?:[\w+/=\s.-]|\\[nr])*)`,
  },
  {
    kind: 'bearer',
    source: String.raw`(?<pre>${AUTH_PREFIX}${AUTH_SCHEMES}[ \t]+)${NOT_DONE}${NOT_PEM}(?!${AUTH_SCHEMES}\b)${CREDENTIAL}`,
  },
  { kind: 'bearer', source: String.raw`(?<pre>${AUTH_PREFIX})${NOT_DONE}${NOT_PEM}(?!${AUTH_SCHEMES}\b)${TOKEN}` },
  { kind: 'bearer', source: String.raw`(?<pre>\b[Bb]earer[ \t]+)${NOT_DONE}${NOT_PEM}${TOKEN}` },
  // Starts at the colon and looks back for `://user`: a scheme-first pattern backtracks
  // quadratically on long words, and the user part stays text that other rules scan
  // (`https://ghp_...:x-oauth-basic@github.com`).
  { kind: 'url_password', source: String.raw`(?<pre>:)(?<=:\/\/[^\s:/@"'<>[\]]*:)(?:${NOT_DONE}[^\s/?#"'<>])+(?=@)` },
  {
    kind: 'assignment',
    source:
      String.raw`(?<pre>(?i:${SECRET_WORD})(?:\\?["'])?(?:[ \t]*(?::=?|=>|=(?!=))[ \t]*|(?=[ \t])(?<=--[\w-]*)[ \t]+(?!-))(?:\\?["'])?)${NOT_DONE}` +
      String.raw`(?:(?<=\\")(?:${NOT_DONE}(?!\\")[^\n])+(?=\\"${NOT_KEY})|(?<=")(?:${NOT_DONE}(?:[^"\\\n]|\\.))+(?="${NOT_KEY})|(?<=')(?:${NOT_DONE}[^'\n])+(?='${NOT_KEY})` +
      // Unquoted: not a type (`password: string`), a literal, a `$VAR`, a list or a PEM block
      // (its own rule takes all of it); a scheme word goes too, or `token: Bearer x` would keep
      // x. It ends at a delimiter, never at a marker: `token:-[REDACTED:jwt]` must not match.
      String.raw`|(?<![\\"'])(?![=:>$[]|-----)(?!(?:true|false|null|undefined|None|string|number|boolean)\b)(?:${AUTH_SCHEMES}[ \t]+(?=[\w.~+/-])(?!-----|${AUTH_SCHEMES}[ \t]))?(?:${NOT_DONE}${VALUE_CHAR})+(?=${VALUE_END}))`,
  },
  { kind: 'aws_access_key', source: String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b` },
  { kind: 'github_token', source: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,})` },
  { kind: 'slack_token', source: String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}` },
  { kind: 'anthropic_key', source: String.raw`(?<![\w\]-])sk-ant-[\w-]{20,}` },
  { kind: 'openai_key', source: String.raw`(?<![\w\]-])sk-(?!ant-)(?=[\w-]*\d)[\w-]{20,}` },
  { kind: 'stripe_key', source: String.raw`\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}` },
  { kind: 'google_api_key', source: String.raw`\bAIza[\w-]{35}(?![\w-])` },
  { kind: 'jwt', source: String.raw`(?<![\w\]-])eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*` },
  // `-u user:password` (curl, wget --user): what follows the user's first colon. A `-u` with
  // no colon (`git push -u origin`) is no credential. Like url_password it starts at the
  // colon and looks back, so the user stays text other rules scan (`-u ghp_...:x`).
  // Quoted (`--user 'bot:pass word'`), the password runs to the quote.
  {
    kind: 'cli_credential',
    source: String.raw`(?<pre>:)(?<=(?<![\w-])(?:-u|--user)(?:[ \t]+|=)["']?[^\s:"'@/[-][^\s:"'@/]{0,100}:)${NOT_DONE}(?:(?<=["'][^\s:"'@/]{1,100}:)[^"'\n]+|[^\s"']+)`,
  },
  // The MySQL family's password glued to -p (`mysql -uroot -phunter2 db`); a bare `-p` prompts.
  // From the -p, looking back for the command, so the options between stay text other rules scan.
  {
    kind: 'cli_credential',
    source: String.raw`(?<pre>-p)(?<=\b(?:mysql|mysqldump|mysqladmin|mariadb(?:-dump)?)\b[^\n|;&]{0,200}[ \t]-p)${NOT_DONE}[^\s"']+`,
  },
];

// Numbered groups, not named ones: V8 builds a groups object per match, which was most of
// the time spent on redaction-heavy strings. Rule i is group KIND_GROUP[i]; its kept prefix,
// if any, the group right after it. Built on the first string that passes PROBE, not on
// import: compiling every rule would add to `hookd emit`'s start-up, and most hook
// events hold nothing PROBE finds.
const KIND_GROUP: number[] = [];
const HAS_PRE: boolean[] = [];
const MARKERS = RULES.map((r) => `[REDACTED:${r.kind}]`);
let COMBINED: RegExp | undefined;

function combined(): RegExp {
  if (COMBINED) return COMBINED;
  let groupCount = 0;
  for (const rule of RULES) {
    KIND_GROUP.push(groupCount + 1);
    HAS_PRE.push(rule.source.startsWith('(?<pre>'));
    groupCount += new RegExp(`(${rule.source})|`).exec('')!.length - 1;
  }
  COMBINED = new RegExp(RULES.map((r) => `(${r.source.replace('(?<pre>', '(')})`).join('|'), 'g');
  return COMBINED;
}
// Every rule's match contains one of these literals. Testing for them first is cheaper
// than the rules (no lookarounds, no \b, no capture bookkeeping), and nearly every
// string has none, so the full regex and String.replace run only on the few that do.
const PROBE = new RegExp(
  String.raw`-----BEGIN|[Aa]uthorization|[Bb]earer|:\/\/|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|sk-|[rs]k_|AIza|eyJ|-u[ \t=]|--user|mysql|mariadb` +
    String.raw`|(?i:passw|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)`,
);

/** Shortest string worth scanning: no rule matches fewer characters (`a://:p@`, `token=x`). */
export const MIN_SECRET_LENGTH = 6;

// The replace callback is module-level and counts into this variable so that redacting
// allocates no closure per call; JavaScript runs it synchronously, so no call can interleave.
let matched = 0;

function replaceMatch(match: string, ...groups: unknown[]): string {
  // groups[n - 1] is capture group n; exactly one rule's group is set.
  for (let i = 0; i < KIND_GROUP.length; i++) {
    const at = KIND_GROUP[i]!;
    if (groups[at - 1] !== undefined) {
      matched++;
      return HAS_PRE[i] ? (groups[at] as string) + MARKERS[i]! : MARKERS[i]!;
    }
  }
  return match;
}

export interface RedactionTally {
  redactions: number;
}

/** Redacts `s`, adding the number of replacements to `tally`; returns `s` itself when nothing matched. */
export function redactInto(s: string, tally: RedactionTally): string {
  if (s.length < MIN_SECRET_LENGTH) return s;
  if (!PROBE.test(s)) return s;
  matched = 0;
  const out = s.replace(combined(), replaceMatch);
  if (matched === 0) return s;
  tally.redactions += matched;
  return out;
}

export function redactString(s: string): { text: string; redactions: number } {
  const tally = { redactions: 0 };
  const text = redactInto(s, tally);
  return { text, redactions: tally.redactions };
}

/** Whether an object property of this name holds a secret as its whole string value. */
export function isSecretKey(key: string): boolean {
  // Every secret name ends in rd, wd, et, en, on or ey: checking the last two letters first
  // spares the regex for almost every key (session_id, cwd, tool_name ...).
  const n = key.length;
  if (n < 5) return false;
  const ending = ((key.charCodeAt(n - 2) | 0x20) << 8) | (key.charCodeAt(n - 1) | 0x20);
  switch (ending) {
    case 0x7264: // rd
    case 0x7764: // wd
    case 0x6574: // et
    case 0x656e: // en
    case 0x6f6e: // on
    case 0x6579: // ey
      break;
    default:
      return false;
  }
  return SECRET_KEY_NAME.test(key) || AUTH_KEY_NAME.test(key);
}

const ALREADY_REDACTED = new RegExp(String.raw`^(?:${AUTH_SCHEMES}[ \t]+)?\[REDACTED:[a-z_]+\]$`);
// Only a known scheme word is kept: a first word of anything else may be the secret itself.
const SCHEME_PREFIX = new RegExp(String.raw`^${AUTH_SCHEMES}[ \t]+(?=\S)`);

/** The replacement for the string value of a property named by isSecretKey. */
export function redactSecretValue(key: string, value: string, tally: RedactionTally): string {
  if (value === '' || ALREADY_REDACTED.test(value)) return value;
  tally.redactions++;
  if (!AUTH_KEY_NAME.test(key)) return '[REDACTED:assignment]';
  const scheme = SCHEME_PREFIX.exec(value);
  return `${scheme ? scheme[0] : ''}[REDACTED:bearer]`;
}
