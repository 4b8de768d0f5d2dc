// The frame around every page: who is logged in and in which roles, the menu for those roles,
// the language, the connection state (couriers), and the notifications region.
import type { ComponentChildren } from 'preact';
import { api } from '../api/store-api.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from '../components/language-switch.js';
import { Toasts } from '../components/toasts.js';
import { useCourier, useInboxVersion } from '../courier/courier-context.js';
import { PermissionBanner } from '../courier/permission-banner.js';
import { canEditOrders, hasRole, useSession } from './session-context.js';

function NavLink({
  href,
  current,
  children,
}: {
  href: string;
  current: boolean;
  children: ComponentChildren;
}) {
  return (
    <a href={`#${href}`} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

function ConnectionBadge() {
  const { t } = useI18n();
  const courier = useCourier();
  if (!courier) return null;
  const state = courier.connection;
  return (
    <span
      class={`connection connection-${state}`}
      role="status"
      aria-label={t('connectionState')}
      data-state={state}
    >
      {t(`conn_${state}`)}
    </span>
  );
}

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const { t } = useI18n();
  const { user, setSession, session } = useSession();
  const courier = useCourier();
  useInboxVersion(courier?.inbox);
  const unread = courier?.inbox.unreadCount ?? 0;
  const section = '/' + (path.split('/')[1] ?? '');

  const logout = async () => {
    try {
      await api.logout();
    } finally {
      setSession({ ...session, user: null, csrf: null });
      location.hash = '/';
    }
  };

  return (
    <div class="layout">
      <header class="top">
        <span class="brand">{t('appName')}</span>
        <nav aria-label={t('mainNav')}>
          {canEditOrders(user) && (
            <NavLink href="/orders" current={section === '/orders'}>
              {t('navOrders')}
            </NavLink>
          )}
          {!canEditOrders(user) && hasRole(user, 'Courier') && (
            <NavLink href="/orders" current={section === '/orders'}>
              {t('navMyOrders')}
            </NavLink>
          )}
          {hasRole(user, 'Courier') && (
            <NavLink href="/inbox" current={section === '/inbox'}>
              {t('navInbox')}
              {unread > 0 && (
                <span class="badge" data-testid="unread-count" aria-label={`${t('unread')}: ${unread}`}>
                  {unread}
                </span>
              )}
            </NavLink>
          )}
          {canEditOrders(user) && (
            <NavLink href="/catalogs/couriers" current={section === '/catalogs'}>
              {t('navCatalogs')}
            </NavLink>
          )}
          {canEditOrders(user) && (
            <NavLink href="/stock" current={section === '/stock'}>
              {t('navStock')}
            </NavLink>
          )}
          {hasRole(user, 'Administrator') && (
            <NavLink href="/admin/users" current={path === '/admin/users'}>
              {t('navUsers')}
            </NavLink>
          )}
          {hasRole(user, 'Administrator') && (
            <NavLink href="/admin" current={path === '/admin'}>
              {t('navAdmin')}
            </NavLink>
          )}
        </nav>
        <div class="who">
          <ConnectionBadge />
          <span data-testid="current-user">
            {t('signedInAs')} <strong>{user.name}</strong> ({user.login}) ·{' '}
            <span aria-label={t('rolesLabel')}>{user.roles.map((r) => t(`role_${r}`)).join(', ')}</span>
          </span>
          <LanguageSwitch />
          <button type="button" onClick={() => void logout()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      {courier && <PermissionBanner />}
      <Toasts />
      <main class="content">{children}</main>
    </div>
  );
}
