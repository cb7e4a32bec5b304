import { expect, it } from 'vitest';
import { NOTIFICATION_STATUSES as SERVER_STATUSES } from '../../src/modules/notifications/notification.ts';
import { NOTIFICATION_STATUSES, STATUS_MEANINGS } from '../../web/src/notification-query.ts';

// Here, not in web/src: the dashboard takes only types from the server (web-imports.test.ts).
it("offers the server's notification statuses in the dashboard, in its order, each with its meaning", () => {
  expect(NOTIFICATION_STATUSES).toEqual(SERVER_STATUSES);
  expect(Object.keys(STATUS_MEANINGS).sort()).toEqual([...SERVER_STATUSES].sort());
});
