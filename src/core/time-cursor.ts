import { ValidationError } from './app-error.ts';

/**
 * The opaque `cursor` of lists ordered by (time, id) newest first: the last row's position,
 * from which the next page continues. Shared by every such list.
 */
export interface TimeCursor {
  /** Epoch ms. */
  at: number;
  id: string;
}

export function encodeTimeCursor(position: TimeCursor): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

export function decodeTimeCursor(cursor: string): TimeCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    // Within what both dialects store (up to the year 9999): a forged one must not reach SQL.
    if (typeof at === 'number' && Number.isInteger(at) && at >= 0 && at <= 253_402_300_799_999 && typeof id === 'string') return { at, id };
  } catch {
    // falls through to the error below
  }
  throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this endpoint returned' }]);
}
