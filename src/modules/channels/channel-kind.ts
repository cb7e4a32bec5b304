/** The services a channel delivers to. Email and ntfy come with notifications part 2. */
export const CHANNEL_KINDS = ['webhook', 'slack', 'discord'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
