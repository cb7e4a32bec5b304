import { expect, it } from 'vitest';
import { agentLabel, KNOWN_AGENTS } from './agent-label.ts';

it('names the agents it knows as their makers do, and any other source as it is', () => {
  expect(KNOWN_AGENTS.map(agentLabel)).toEqual(['Claude Code', 'Codex', 'Gemini CLI']);
  expect(agentLabel('sdk')).toBe('sdk');
  expect(agentLabel('constructor')).toBe('constructor');
});
