// The shapes of the store's HTTP API, as docs/store-api.md defines them.

export type Role = 'Administrator' | 'Manager' | 'Courier';
export const roles: Role[] = ['Administrator', 'Manager', 'Courier'];

export interface SessionUser {
  id: string;
  login: string;
  name: string;
  roles: Role[];
  courierId: string | null;
  collabUserId: string | null;
}

export interface Session {
  user: SessionUser | null;
  csrf: string | null;
  collab: { registered: boolean; serviceConversationKey: string };
}

export interface ItemRef {
  id: string;
  code: string;
  name: string;
}

export type CatalogName = 'products' | 'colors' | 'sizes' | 'warehouses' | 'customers' | 'couriers';
export const catalogNames: CatalogName[] = [
  'couriers',
  'products',
  'colors',
  'sizes',
  'warehouses',
  'customers',
];

/** Any catalog item: id, code and name, plus the fields its catalog adds. */
export interface CatalogItem {
  id: string;
  code: string;
  name: string;
  [field: string]: unknown;
}

export interface Product extends CatalogItem {
  price: number;
}

export type OrderStatus = 'New' | 'InWork' | 'Done';
export const orderStatuses: OrderStatus[] = ['New', 'InWork', 'Done'];

export interface OrderItem {
  lineNo: number;
  product: ItemRef;
  color: ItemRef | null;
  size: ItemRef | null;
  quantity: number;
  price: number;
  amount: number;
}

export interface Order {
  id: string;
  number: string;
  date: string;
  customer: ItemRef | null;
  address: string;
  warehouse: ItemRef | null;
  courier: ItemRef | null;
  status: OrderStatus;
  posted: boolean;
  comment: string;
  items: OrderItem[];
  total: number;
  createdAt: string;
  updatedAt: string;
}

export type OrderSummary = Omit<Order, 'items'> & { itemCount: number };

export interface OrderInput {
  date?: string;
  customerId: string | null;
  address: string;
  warehouseId: string | null;
  courierId: string | null;
  status: OrderStatus;
  comment?: string;
  items: Array<{
    productId: string;
    colorId: string | null;
    sizeId: string | null;
    quantity: number;
    price?: number;
  }>;
}

export interface User {
  id: string;
  login: string;
  name: string;
  roles: Role[];
  blocked: boolean;
  courierId: string | null;
  collabUserId: string | null;
}

export type StockDimension = 'product' | 'color' | 'size' | 'warehouse';
export const stockDimensions: StockDimension[] = ['product', 'color', 'size', 'warehouse'];

export interface StockRow {
  product?: ItemRef;
  color?: ItemRef;
  size?: ItemRef;
  warehouse?: ItemRef;
  ordered: number;
}

export interface StockReport {
  at: string;
  groupBy: StockDimension[];
  rows: StockRow[];
  total: number;
}

export interface StartReport {
  registered: boolean;
  usersCreated: Array<{ userId: string; login: string; collabUserId: string }>;
  conversationCreated: boolean;
  participantsAdded: Array<{ userId: string; login: string }>;
  participantsRemoved: Array<{ userId: string; login: string }>;
  changed: boolean;
}

export interface AdminStatus {
  registered: boolean;
  applicationName: string | null;
  storage: 'sqlite' | 'postgres';
  broker: 'memory' | 'redis';
  serviceConversation: { key: string; exists: boolean; participants: number; lastSeq: number };
  users: number;
  couriers: number;
  needsRepair: boolean;
  version: string;
  /** Clients connected now, when the server reports it. */
  connectedClients?: number;
}

export interface NotificationData {
  text: string;
  order: { $ref: 'Order'; id: string };
  courier: { $ref: 'Courier'; id: string };
  kind: 'assigned' | 'unassigned';
  number: string;
}

/** A message of the service conversation as the courier sees it. */
export interface CourierNotification {
  id: string;
  seq: number;
  createdAt: string;
  text: string;
  data: NotificationData;
}

export interface NotificationPage {
  messages: CourierNotification[];
  lastSeq: number;
  hasMore: boolean;
  truncated: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface CollabToken {
  token: string;
  expiresAt: number;
  userId: string;
  wsUrl: string;
}
