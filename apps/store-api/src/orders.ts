// The Order document: /api/orders — list, read, Save, Post, Cancel posting.

import { Type, type Static } from '@sinclair/typebox';
import { Id, ItemRefSchema, Nullable, PageSchema, Paging, Search } from './common.js';

export const OrderStatusSchema = Type.Union([
  Type.Literal('New'),
  Type.Literal('InWork'),
  Type.Literal('Done'),
]);
export type OrderStatus = Static<typeof OrderStatusSchema>;

const orderHeader = {
  id: Type.String(),
  number: Type.String(),
  date: Type.String(),
  customer: Nullable(ItemRefSchema),
  address: Type.String(),
  warehouse: Nullable(ItemRefSchema),
  courier: Nullable(ItemRefSchema),
  status: OrderStatusSchema,
  posted: Type.Boolean(),
  comment: Type.String(),
  total: Type.Number(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const OrderItemSchema = Type.Object({
  lineNo: Type.Integer(),
  product: ItemRefSchema,
  color: Nullable(ItemRefSchema),
  size: Nullable(ItemRefSchema),
  quantity: Type.Number(),
  price: Type.Number(),
  amount: Type.Number(),
});
export type OrderItem = Static<typeof OrderItemSchema>;

export const OrderSchema = Type.Object({ ...orderHeader, items: Type.Array(OrderItemSchema) });
export type Order = Static<typeof OrderSchema>;

/** An order in a list: the same without items. */
export const OrderSummarySchema = Type.Object({ ...orderHeader, itemCount: Type.Integer() });
export type OrderSummary = Static<typeof OrderSummarySchema>;

export const OrderPageSchema = PageSchema(OrderSummarySchema);
export type OrderPage = Static<typeof OrderPageSchema>;

export const OrderListQuerySchema = Type.Object(
  {
    status: Type.Optional(OrderStatusSchema),
    courierId: Type.Optional(Id),
    posted: Type.Optional(Type.Boolean()),
    search: Search,
    ...Paging,
  },
  { additionalProperties: false },
);
export type OrderListQuery = Static<typeof OrderListQuerySchema>;

/** What the client sends to save an order. Unknown fields are refused. */
export const OrderInputSchema = Type.Object(
  {
    date: Type.Optional(Type.String({ format: 'date-time' })),
    customerId: Nullable(Id),
    address: Type.String({ maxLength: 500 }),
    warehouseId: Nullable(Id),
    courierId: Nullable(Id),
    status: OrderStatusSchema,
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    items: Type.Array(
      Type.Object(
        {
          productId: Id,
          colorId: Nullable(Id),
          sizeId: Nullable(Id),
          // Wide enough that a manager's slip (0, -1, 1.5) gets a business message, narrow enough
          // that 500 lines of quantity * price in cents stay exact integers.
          quantity: Type.Number({ minimum: -100_000, maximum: 100_000 }),
          price: Type.Optional(Type.Number({ minimum: -1_000_000, maximum: 1_000_000 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type OrderInput = Static<typeof OrderInputSchema>;

/**
 * Post takes the whole document (save it, then post) or nothing (`{}`: post as saved). The
 * schema lets every field be missing; the route refuses a body that sends only some of them.
 */
export const OrderPostBodySchema = Type.Partial(OrderInputSchema, { additionalProperties: false });
export type OrderPostBody = OrderInput | Record<string, never>;
