import type { ChannelKind } from './channel-kind.ts';

/** A channel as stored: its URL and signing secret sealed (src/core/secret-box.ts). Times epoch ms. */
export interface StoredChannel {
  channelId: string;
  /** null: the installation's, which every team's rules may name. */
  teamId: string | null;
  kind: ChannelKind;
  name: string | null;
  urlSealed: string;
  urlHint: string;
  secretSealed: string | null;
  paused: boolean;
  pausedReason: string | null;
  pausedAt: number | null;
  /** Failed attempts in a row, of any of its notifications; a success resets it. */
  failureStreak: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * Whose channels a read sees: a team-bound token its team's and the installation's, an
 * unbound one every channel. Applied in the store query.
 */
export interface ChannelScope {
  teamId: string | null;
}

export interface ChannelChange {
  name?: string | null;
  urlSealed?: string;
  urlHint?: string;
  secretSealed?: string | null;
  now: number;
}

export interface ChannelStore {
  /** False when the id is taken. */
  create(channel: StoredChannel): Promise<boolean>;
  get(channelId: string, scope: ChannelScope): Promise<StoredChannel | null>;
  list(scope: ChannelScope): Promise<StoredChannel[]>;
  /** Only the team's own channels change for a team-bound scope (never the installation's); false when none matched. */
  update(channelId: string, scope: ChannelScope, change: ChannelChange): Promise<boolean>;
  setPaused(channelId: string, scope: ChannelScope, paused: { reason: string | null; now: number } | null): Promise<boolean>;
  delete(channelId: string, scope: ChannelScope): Promise<boolean>;
  /** Every channel's sealed URL and signing secret, for rotation (any team's). */
  listSealed(): Promise<SealedChannelValues[]>;
  /**
   * Writes `newSealed` into `field` only while it still holds `oldSealed` (nothing else
   * changes): false when the channel changed or went since it was read.
   */
  replaceSealed(channelId: string, field: SealedChannelField, oldSealed: string, newSealed: string): Promise<boolean>;
}

/** The columns of a channel that hold sealed values. */
export const SEALED_CHANNEL_FIELDS = ['url_sealed', 'secret_sealed'] as const;
export type SealedChannelField = (typeof SEALED_CHANNEL_FIELDS)[number];

export interface SealedChannelValues {
  channelId: string;
  urlSealed: string;
  secretSealed: string | null;
}
