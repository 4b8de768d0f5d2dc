// One function per route of the store's HTTP API (docs/store-api.md).
import { request, setCsrfToken, withQuery } from './http.js';
import type { Query } from './http.js';
import type {
  AdminStatus,
  CatalogItem,
  CatalogName,
  CollabToken,
  NotificationPage,
  Order,
  OrderInput,
  OrderSummary,
  Page,
  Role,
  Session,
  StartReport,
  StockReport,
  User,
} from './types.js';

async function remember(session: Promise<Session>): Promise<Session> {
  const value = await session;
  setCsrfToken(value.csrf);
  return value;
}

export const api = {
  session: () => remember(request<Session>('GET', '/api/session')),
  login: (login: string, password: string) =>
    remember(request<Session>('POST', '/api/session', { login, password })),
  logout: async () => {
    await request<void>('DELETE', '/api/session');
    setCsrfToken(null);
  },

  collabToken: () => request<CollabToken>('POST', '/api/collab/token', {}),
  notifications: (after: number, limit = 200) =>
    request<NotificationPage>('GET', withQuery('/api/notifications', { after, limit })),

  catalog: (catalog: CatalogName, query?: Query) =>
    request<Page<CatalogItem>>('GET', withQuery(`/api/catalogs/${catalog}`, query)),
  createCatalogItem: (catalog: CatalogName, item: Record<string, unknown>) =>
    request<CatalogItem>('POST', `/api/catalogs/${catalog}`, item),
  updateCatalogItem: (catalog: CatalogName, id: string, item: Record<string, unknown>) =>
    request<CatalogItem>('PUT', `/api/catalogs/${catalog}/${encodeURIComponent(id)}`, item),

  orders: (query?: Query) => request<Page<OrderSummary>>('GET', withQuery('/api/orders', query)),
  order: (id: string) => request<Order>('GET', `/api/orders/${encodeURIComponent(id)}`),
  createOrder: (input: OrderInput) => request<Order>('POST', '/api/orders', input),
  saveOrder: (id: string, input: OrderInput) =>
    request<Order>('PUT', `/api/orders/${encodeURIComponent(id)}`, input),
  postOrder: (id: string, input: OrderInput | Record<string, never>) =>
    request<Order>('POST', `/api/orders/${encodeURIComponent(id)}/post`, input),
  unpostOrder: (id: string) => request<Order>('POST', `/api/orders/${encodeURIComponent(id)}/unpost`, {}),

  stockBalances: (query?: Query) => request<StockReport>('GET', withQuery('/api/stock/balances', query)),

  users: (query?: Query) => request<Page<User>>('GET', withQuery('/api/users', query)),
  createUser: (input: { login: string; name: string; password: string; roles: Role[] }) =>
    request<User>('POST', '/api/users', input),
  updateUser: (id: string, change: { name?: string; password?: string; roles?: Role[]; blocked?: boolean }) =>
    request<User>('PUT', `/api/users/${encodeURIComponent(id)}`, change),
  adminStatus: () => request<AdminStatus>('GET', '/api/admin/status'),
  startCollab: () => request<StartReport>('POST', '/api/admin/collab/start', {}),
};
