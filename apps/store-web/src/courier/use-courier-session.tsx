// Runs the courier session while a courier is logged in and turns what it reports into things the
// courier sees: the important notification, the order's form opening by itself (the seed's
// ShowValue + ShowUserNotification), a system notification when the tab is hidden, one summary
// for what was missed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { CourierNotification, Session } from '../api/types.js';
import type { ConnectionState } from '../collab/live-feed.js';
import { openLiveFeed } from '../collab/open-live-feed.js';
import { notify } from '../components/toasts.js';
import type { Translate } from '../i18n/i18n.js';
import { navigate } from '../app/router.js';
import { CourierSession } from './courier-session.js';
import type { CourierState } from './courier-context.js';
import { showBrowserNotification } from './browser-notification.js';

export function notificationTitle(t: Translate, n: CourierNotification): string {
  return n.data.kind === 'unassigned'
    ? t('unassignedNotification', { number: n.data.number })
    : t('newOrderNotification');
}

export function openNotification(n: CourierNotification, session: CourierSession): void {
  session.inbox.markRead(n.seq);
  if (n.data.kind !== 'unassigned') navigate(`/orders/${n.data.order.id}`);
}

function showLive(t: Translate, session: CourierSession, batch: CourierNotification[]): void {
  const assigned = batch.filter((n) => n.data.kind !== 'unassigned');
  const latest = assigned[assigned.length - 1];
  if (batch.length === 1) {
    const n = batch[0]!;
    const title = notificationTitle(t, n);
    const body = t('orderNumberLine', { number: n.data.number });
    notify(title, { important: n.data.kind !== 'unassigned', body });
    showBrowserNotification(title, body, n.data.order.id, () => openNotification(n, session));
  } else {
    const title = t('missedSummary', { count: batch.length });
    notify(title, { important: true, action: { label: t('openInbox'), run: () => navigate('/inbox') } });
    showBrowserNotification(title, '', 'vestnik-summary', () => navigate('/inbox'));
  }
  if (latest) {
    navigate(`/orders/${latest.data.order.id}`);
    // Seen only if the courier is looking; a hidden tab leaves it unread in the inbox.
    if (document.visibilityState === 'visible') session.inbox.markRead(latest.seq);
  }
  // Whatever shows these orders (the list, an open form: reassigned away, it is no longer theirs)
  // shows them afresh.
  for (const n of batch)
    window.dispatchEvent(new CustomEvent('vestnik:order-notified', { detail: n.data.order.id }));
}

export function useCourierSession(session: Session, t: Translate): CourierState | null {
  const user = session.user;
  const isCourier = !!user && user.roles.includes('Courier');
  const registered = session.collab.registered;
  const [state, setState] = useState<CourierState | null>(null);
  // Texts follow the language chosen now, not the one at the start of the session.
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    if (!isCourier || !user) return;
    const courier = new CourierSession({
      userId: user.id,
      conversationKey: session.collab.serviceConversationKey,
      fetchHistory: (after) => api.notifications(after),
      openFeed: openLiveFeed,
      onMissed: (missed) => {
        if (missed.length === 0) return;
        const t = tRef.current;
        notify(t('missedSummary', { count: missed.length }), {
          important: true,
          action: { label: t('openInbox'), run: () => navigate('/inbox') },
        });
      },
      onLive: (batch) => showLive(tRef.current, courier, batch),
      onError: (error) => console.warn('courier session:', error),
    });
    let connection: ConnectionState | 'unregistered' = registered ? 'connecting' : 'unregistered';
    const publish = () => setState({ inbox: courier.inbox, connection });
    publish();
    if (!registered) return;
    void courier.start();
    const stop = courier.feed?.onState((next) => {
      connection = next;
      publish();
    });
    return () => {
      stop?.();
      courier.close();
    };
    // The session starts once per logged-in courier; a language change must not restart it.
  }, [isCourier, user?.id, registered]);

  return state;
}
