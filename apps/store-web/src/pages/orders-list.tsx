// The orders list: number, date, customer, courier, status, posted, total; search and filters.
// Managers see every order; a courier gets only their own from the server.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { OrderStatus, OrderSummary } from '../api/types.js';
import { orderStatuses } from '../api/types.js';
import { ApiError } from '../api/http.js';
import { formatDate, formatMoney, useI18n } from '../i18n/i18n.js';
import { canEditOrders, useSession } from '../app/session-context.js';
import { navigate } from '../app/router.js';

export function OrdersList() {
  const { t, language } = useI18n();
  const { user } = useSession();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [posted, setPosted] = useState<'' | 'true' | 'false'>('');
  const [orders, setOrders] = useState<OrderSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const filter = { status: status || undefined, posted: posted === '' ? undefined : posted === 'true' };
      api.orders({ search, ...filter, limit: 200 }).then(
        (page) => {
          if (!live) return;
          setOrders(page.items);
          setError(null);
        },
        (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [search, status, posted, reload]);

  // A notification for this courier may have added an order to the list.
  useEffect(() => {
    const onNotified = () => setReload((n) => n + 1);
    window.addEventListener('vestnik:order-notified', onNotified);
    return () => window.removeEventListener('vestnik:order-notified', onNotified);
  }, []);

  return (
    <section aria-labelledby="orders-title">
      <div class="page-head">
        <h1 id="orders-title">{canEditOrders(user) ? t('navOrders') : t('navMyOrders')}</h1>
        {canEditOrders(user) && (
          <button type="button" onClick={() => navigate('/orders/new')}>
            {t('newOrder')}
          </button>
        )}
      </div>
      <div class="filters" role="search">
        <label>
          {t('search')}
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <label>
          {t('statusFilter')}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as OrderStatus | '')}>
            <option value="">{t('any')}</option>
            {orderStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`status_${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('postedFilter')}
          <select value={posted} onChange={(e) => setPosted(e.currentTarget.value as '' | 'true' | 'false')}>
            <option value="">{t('any')}</option>
            <option value="true">{t('yes')}</option>
            <option value="false">{t('no')}</option>
          </select>
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {orders === null ? (
        <p role="status">{t('loading')}</p>
      ) : orders.length === 0 ? (
        <p role="status">{t('noOrders')}</p>
      ) : (
        <table class="grid" aria-labelledby="orders-title">
          <thead>
            <tr>
              <th scope="col">{t('number')}</th>
              <th scope="col">{t('date')}</th>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('courier')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('posted')}</th>
              <th scope="col" class="num">
                {t('total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <a href={`#/orders/${o.id}`}>{o.number}</a>
                </td>
                <td>{formatDate(language, o.date)}</td>
                <td>{o.customer?.name ?? ''}</td>
                <td>{o.courier?.name ?? ''}</td>
                <td>{t(`status_${o.status}`)}</td>
                <td>{o.posted ? t('yes') : t('no')}</td>
                <td class="num">{formatMoney(language, o.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
