import type { NotificationDetail } from '../api-types.ts';
import { useApi } from '../use-api.ts';
import { DigestLink, notificationHref, StatusChip } from './notification-parts.tsx';

/** The digest a notification went in, by its title and status once they are read. */
export function DigestOf({ id }: { id: string }) {
  const digest = useApi<NotificationDetail>(`/notifications/${encodeURIComponent(id)}`, 30_000);
  if (!digest.data) return <DigestLink id={id} />;
  return (
    <>
      <a href={notificationHref(id)} class="digest-link">
        {digest.data.title}
      </a>{' '}
      <StatusChip status={digest.data.status} />
    </>
  );
}
