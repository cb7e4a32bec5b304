/** The services a channel delivers to. */
export const CHANNEL_KINDS = ['webhook', 'slack', 'discord', 'email', 'ntfy'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A channel id, chosen by its owner; also what a rule's `channels` may name. */
export const CHANNEL_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$';
export const MAX_CHANNEL_URL_LENGTH = 2048;
