// The courier's inbox: every notification addressed to them, newest first, unread ones marked.
import { useI18n, formatDate } from '../i18n/i18n.js';
import { useCourier, useInboxVersion } from '../courier/courier-context.js';
import { notificationTitle } from '../courier/use-courier-session.js';
import { navigate } from '../app/router.js';

export function InboxPage() {
  const { t, language } = useI18n();
  const courier = useCourier();
  useInboxVersion(courier?.inbox);
  if (!courier) return null;
  const { inbox } = courier;
  const items = inbox.items;
  return (
    <section aria-labelledby="inbox-title">
      <div class="page-head">
        <h1 id="inbox-title">{t('inboxTitle')}</h1>
        {inbox.unreadCount > 0 && (
          <button type="button" onClick={() => inbox.markAllRead()}>
            {t('markAllRead')}
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <p role="status">{t('inboxEmpty')}</p>
      ) : (
        <ul class="inbox" aria-labelledby="inbox-title">
          {items.map((n) => {
            const unread = inbox.isUnread(n.seq);
            return (
              <li
                key={n.seq}
                class={unread ? 'unread' : undefined}
                data-testid="inbox-item"
                data-unread={unread}
                data-number={n.data.number}
                data-kind={n.data.kind}
              >
                {unread && <span class="unread-mark">{t('unread')}</span>}
                <strong>{notificationTitle(t, n)}</strong>
                <span>{t('orderNumberLine', { number: n.data.number })}</span>
                <time dateTime={n.createdAt}>{formatDate(language, n.createdAt)}</time>
                {n.data.kind !== 'unassigned' ? (
                  <button
                    type="button"
                    onClick={() => {
                      inbox.markRead(n.seq);
                      navigate(`/orders/${n.data.order.id}`);
                    }}
                  >
                    {t('openOrder', { number: n.data.number })}
                  </button>
                ) : (
                  unread && (
                    <button type="button" onClick={() => inbox.markRead(n.seq)}>
                      {t('dismiss')}
                    </button>
                  )
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
