// One function per route of the store's HTTP API (docs/store-api.md), typed by its contract.
import { request, setCsrfToken, withQuery } from './http.js';
import type {
  AdminStatus,
  CatalogItem,
  CatalogItemInput,
  CatalogListQuery,
  CatalogName,
  CatalogPage,
  CollabToken,
  LoginBody,
  NewUser,
  NotificationPage,
  NotificationQuery,
  Order,
  OrderInput,
  OrderListQuery,
  OrderPage,
  OrderPostBody,
  Session,
  StartReport,
  StockBalanceQuery,
  StockReport,
  User,
  UserChange,
  UserListQuery,
  UserPage,
} from './types.js';

async function remember(session: Promise<Session>): Promise<Session> {
  const value = await session;
  setCsrfToken(value.csrf);
  return value;
}

export const api = {
  session: () => remember(request<Session>('GET', '/api/session')),
  login: (login: string, password: string) =>
    remember(request<Session>('POST', '/api/session', { login, password } satisfies LoginBody)),
  logout: async () => {
    await request<void>('DELETE', '/api/session');
    setCsrfToken(null);
  },

  collabToken: () => request<CollabToken>('POST', '/api/collab/token', {}),
  notifications: (after: number, limit = 200) =>
    request<NotificationPage>(
      'GET',
      withQuery('/api/notifications', { after, limit } satisfies NotificationQuery),
    ),

  catalog: (catalog: CatalogName, query?: CatalogListQuery) =>
    request<CatalogPage>('GET', withQuery(`/api/catalogs/${catalog}`, query)),
  createCatalogItem: (catalog: CatalogName, item: CatalogItemInput) =>
    request<CatalogItem>('POST', `/api/catalogs/${catalog}`, item),
  updateCatalogItem: (catalog: CatalogName, id: string, item: CatalogItemInput) =>
    request<CatalogItem>('PUT', `/api/catalogs/${catalog}/${encodeURIComponent(id)}`, item),

  orders: (query?: OrderListQuery) => request<OrderPage>('GET', withQuery('/api/orders', query)),
  order: (id: string) => request<Order>('GET', `/api/orders/${encodeURIComponent(id)}`),
  createOrder: (input: OrderInput) => request<Order>('POST', '/api/orders', input),
  saveOrder: (id: string, input: OrderInput) =>
    request<Order>('PUT', `/api/orders/${encodeURIComponent(id)}`, input),
  postOrder: (id: string, input: OrderPostBody) =>
    request<Order>('POST', `/api/orders/${encodeURIComponent(id)}/post`, input),
  unpostOrder: (id: string) => request<Order>('POST', `/api/orders/${encodeURIComponent(id)}/unpost`, {}),

  stockBalances: (query?: StockBalanceQuery) =>
    request<StockReport>('GET', withQuery('/api/stock/balances', query)),

  users: (query?: UserListQuery) => request<UserPage>('GET', withQuery('/api/users', query)),
  createUser: (input: NewUser) => request<User>('POST', '/api/users', input),
  updateUser: (id: string, change: UserChange) =>
    request<User>('PUT', `/api/users/${encodeURIComponent(id)}`, change),
  adminStatus: () => request<AdminStatus>('GET', '/api/admin/status'),
  startCollab: () => request<StartReport>('POST', '/api/admin/collab/start', {}),
};
