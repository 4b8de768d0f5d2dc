// TypeBox schemas shared by the routes: they validate requests and describe responses in OpenAPI.

import { Type, type TSchema } from '@sinclair/typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Id = Type.String({ minLength: 1, maxLength: 100 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const RoleSchema = Type.Union([
  Type.Literal('Administrator'),
  Type.Literal('Manager'),
  Type.Literal('Courier'),
]);
export const OrderStatusSchema = Type.Union([
  Type.Literal('New'),
  Type.Literal('InWork'),
  Type.Literal('Done'),
]);

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};
export const Search = Type.Optional(Type.String({ maxLength: 200 }));

export const ErrorBodySchema = Type.Object(
  { code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) },
  { $id: 'ErrorBody' },
);

/** The error responses a route may give, for OpenAPI. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorBody')]));
}

export const ItemRefSchema = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() });

export const SessionUserSchema = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleSchema),
  courierId: Nullable(Type.String()),
  collabUserId: Nullable(Type.String()),
});

export const UserSchema = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleSchema),
  blocked: Type.Boolean(),
  courierId: Nullable(Type.String()),
  collabUserId: Nullable(Type.String()),
});

export const CatalogItemSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  price: Type.Optional(Type.Number()),
  phone: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
  userId: Type.Optional(Nullable(Type.String())),
});

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

export const OrderSchema = Type.Object({
  ...orderHeader,
  items: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      product: ItemRefSchema,
      color: Nullable(ItemRefSchema),
      size: Nullable(ItemRefSchema),
      quantity: Type.Number(),
      price: Type.Number(),
      amount: Type.Number(),
    }),
  ),
});

export const OrderSummarySchema = Type.Object({ ...orderHeader, itemCount: Type.Integer() });

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

/** For routes that take no body: `{}` or nothing; anything else is refused. */
export const NoBody = Type.Object({}, { additionalProperties: false });
export async function emptyBodyIfMissing(request: { body: unknown }): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
