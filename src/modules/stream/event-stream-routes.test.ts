import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/app-error.ts';
import { withoutQueryToken } from '../../http/auth.ts';
import { resumeCursor, streamFilterOf } from './event-stream-routes.ts';

const anyone = { tokenId: null, actor: 'test', scopes: new Set(['read' as const]), teamId: null, sessionId: null };

describe('GET /events/stream request parsing', () => {
  it('takes the resume cursor from Last-Event-ID first, then last_event_id, then after', () => {
    expect(resumeCursor('5', '6', '7')).toBe(5);
    expect(resumeCursor(undefined, '6', '7')).toBe(6);
    expect(resumeCursor('', undefined, '7')).toBe(7);
    expect(resumeCursor(undefined)).toBeNull();
    expect(() => resumeCursor('12a')).toThrow(ValidationError);
    expect(() => resumeCursor(undefined, undefined, '99999999999999999')).toThrow(/after: is not a cursor/);
  });

  it("narrows the filter to the token's team and session; another session matches nothing", () => {
    expect(streamFilterOf({ source: 'codex' }, anyone)).toEqual({ source: 'codex' });
    expect(streamFilterOf({}, { ...anyone, teamId: 'blue', sessionId: 's1' })).toEqual({ teamId: 'blue', sessionId: 's1' });
    expect(streamFilterOf({ session_id: 's2' }, { ...anyone, sessionId: 's1' })).toEqual({ sessionId: 's1', none: true });
  });

  it('removes access_token from the URL, however it is spelled, and keeps the rest', () => {
    expect(withoutQueryToken('/events/stream?session_id=a&access_token=hookd_x&after=3')).toBe('/events/stream?session_id=a&after=3');
    expect(withoutQueryToken('/events/stream?access%5Ftoken=hookd_x')).toBe('/events/stream');
    expect(withoutQueryToken('/events/stream?access_token=a&access_token=b')).toBe('/events/stream');
    expect(withoutQueryToken('/events/stream')).toBe('/events/stream');
  });
});
