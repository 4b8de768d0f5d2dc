// The store API's shapes come from its contract, @vestnik/store-api (apps/store-api), the package
// the server validates and serializes with. Imported as types only, so nothing of TypeBox reaches
// the browser; what the pages iterate over (roles, statuses...) is listed here, and the compiler
// refuses a list that misses a member of the contract's union.
import type { CatalogName, OrderStatus, Role, StockDimension } from '@vestnik/store-api';

export type {
  AdminStatus,
  CatalogItem,
  CatalogItemInput,
  CatalogListQuery,
  CatalogName,
  CatalogPage,
  CollabToken,
  CourierNotification,
  ItemRef,
  LoginBody,
  NewUser,
  NotificationData,
  NotificationPage,
  NotificationQuery,
  Order,
  OrderInput,
  OrderItem,
  OrderListQuery,
  OrderPage,
  OrderPostBody,
  OrderStatus,
  OrderSummary,
  Role,
  Session,
  SessionUser,
  StartReport,
  StockBalanceQuery,
  StockDimension,
  StockReport,
  StockRow,
  User,
  UserChange,
  UserListQuery,
  UserPage,
} from '@vestnik/store-api';

/** Every member of the union T, in the order given; a member left out is a compile error. */
const everyOf =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : never)) =>
    list;

export const roles = everyOf<Role>()(['Administrator', 'Manager', 'Courier']);
/** In the order of the catalogs' tabs. */
export const catalogNames = everyOf<CatalogName>()([
  'couriers',
  'products',
  'colors',
  'sizes',
  'warehouses',
  'customers',
]);
export const orderStatuses = everyOf<OrderStatus>()(['New', 'InWork', 'Done']);
export const stockDimensions = everyOf<StockDimension>()(['product', 'color', 'size', 'warehouse']);
