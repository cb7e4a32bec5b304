/** What a caller may see; a token bound to a team or session narrows every read. */
export interface ReadScope {
  teamId?: string | null;
  sessionId?: string | null;
}
