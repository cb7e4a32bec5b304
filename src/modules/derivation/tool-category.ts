/**
 * What kind of work a tool call is, for the workflow pattern rules (docs/data-model.md, "Analytics").
 * Migration 0006 classifies existing rows with the same lists in SQL.
 */
export type ToolCategory = 'explore' | 'edit' | 'test' | 'delegate' | 'research' | 'other';

const BY_TOOL: Record<string, ToolCategory> = {
  Read: 'explore',
  Grep: 'explore',
  Glob: 'explore',
  LS: 'explore',
  NotebookRead: 'explore',
  Edit: 'edit',
  MultiEdit: 'edit',
  Write: 'edit',
  NotebookEdit: 'edit',
  Task: 'delegate',
  Agent: 'delegate',
  WebFetch: 'research',
  WebSearch: 'research',
};

/** A Bash command containing one of these (case-insensitive) runs tests. */
export const TEST_MARKERS: readonly string[] = [
  'npm test',
  'npm run test',
  'pnpm test',
  'yarn test',
  'bun test',
  'pytest',
  'go test',
  'cargo test',
  'vitest',
  'jest',
  'mocha',
  'rspec',
  'phpunit',
  'make test',
  'mvn test',
  'gradle test',
  'dotnet test',
  'unittest',
];

export function toolCategoryOf(toolName: string, inputSummary: string | null): ToolCategory {
  if (toolName === 'Bash') {
    const command = (inputSummary ?? '').toLowerCase();
    return TEST_MARKERS.some((m) => command.includes(m)) ? 'test' : 'other';
  }
  return BY_TOOL[toolName] ?? 'other';
}
