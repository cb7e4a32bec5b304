// Never run: `npm run typecheck` (after `npm run build`) compiles it, importing the SDK by
// its package name as a user's TypeScript project would, so the published declarations
// (exports "./sdk" -> types) are checked, not only the sources. The @ts-expect-error lines
// fail the check if the declarations go missing and everything becomes `any`.
import { HookdApiError, type HookdClient, type SessionSummary, type ToolSuccessRates } from 'hookd/sdk';

export async function typedUse(client: HookdClient): Promise<number> {
  const rates: ToolSuccessRates = await client.toolSuccessRates({ since: '7d', project: 'api' });
  const first: SessionSummary | undefined = (await client.sessionIntelligence({ limit: 10 })).items[0];
  // @ts-expect-error success_score is a number, not a string
  const wrong: string = first!.success_score;
  // @ts-expect-error getToolPerformance needs a tool name
  await client.getToolPerformance();
  const error = new HookdApiError(404, 'session_not_found', 'no such session');
  return rates.items.length + error.status + wrong.length;
}
