// Which page each URL shows, for the roles of the logged-in user.
import { useEffect } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { OrdersList } from '../pages/orders-list.js';
import { OrderForm } from '../pages/order-form.js';
import { CatalogsPage } from '../pages/catalogs-page.js';
import { StockReportPage } from '../pages/stock-report.js';
import { InboxPage } from '../pages/inbox-page.js';
import { UsersPage } from '../pages/users-page.js';
import { AdminPage } from '../pages/admin-page.js';
import type { CatalogName } from '../api/types.js';
import { catalogNames } from '../api/types.js';
import { canEditOrders, hasRole, useSession } from './session-context.js';
import { match, navigate } from './router.js';

export function Routes({ path }: { path: string }) {
  const { t } = useI18n();
  const { user } = useSession();
  const home = canEditOrders(user) || hasRole(user, 'Courier') ? '/orders' : '/admin';

  useEffect(() => {
    if (path === '/') navigate(home);
  }, [path, home]);

  let params: Record<string, string> | null;
  if (path === '/orders') return <OrdersList />;
  if (path === '/orders/new' && canEditOrders(user)) return <OrderForm id={null} />;
  if ((params = match('/orders/:id', path))) return <OrderForm key={params.id} id={params.id!} />;
  if ((params = match('/catalogs/:catalog', path)) && canEditOrders(user)) {
    const catalog = params.catalog as CatalogName;
    if (catalogNames.includes(catalog)) return <CatalogsPage key={catalog} catalog={catalog} />;
  }
  if (path === '/stock' && canEditOrders(user)) return <StockReportPage />;
  if (path === '/inbox' && hasRole(user, 'Courier')) return <InboxPage />;
  if (path === '/admin/users' && hasRole(user, 'Administrator')) return <UsersPage />;
  if (path === '/admin' && hasRole(user, 'Administrator')) return <AdminPage />;
  if (path === '/') return null;
  return <p role="status">{t('notFoundPage')}</p>;
}
