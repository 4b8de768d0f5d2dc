// The catalogs (Products, Colors, Sizes, Warehouses, Customers, Couriers): /api/catalogs/:catalog.

import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable, PageSchema, Paging, Search } from './common.js';

export const CatalogNameSchema = Type.Union([
  Type.Literal('products'),
  Type.Literal('colors'),
  Type.Literal('sizes'),
  Type.Literal('warehouses'),
  Type.Literal('customers'),
  Type.Literal('couriers'),
]);
export type CatalogName = Static<typeof CatalogNameSchema>;

export const CatalogParamsSchema = Type.Object(
  { catalog: CatalogNameSchema },
  { additionalProperties: false },
);
export const CatalogItemParamsSchema = Type.Object(
  { catalog: CatalogNameSchema, id: Id },
  { additionalProperties: false },
);

export const CatalogListQuerySchema = Type.Object(
  { search: Search, ...Paging },
  { additionalProperties: false },
);
export type CatalogListQuery = Static<typeof CatalogListQuerySchema>;

/** Any catalog's item: id, code and name, plus the fields its catalog has. */
export const CatalogItemSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  price: Type.Optional(Type.Number()),
  phone: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
  userId: Type.Optional(Nullable(Type.String())),
});
export type CatalogItem = Static<typeof CatalogItemSchema>;

export const CatalogPageSchema = PageSchema(CatalogItemSchema);
export type CatalogPage = Static<typeof CatalogPageSchema>;

/** What a manager sends to create or change an item: the fields of its catalog. */
export const CatalogItemInputSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 50 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    price: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    phone: Type.Optional(Type.String({ maxLength: 50 })),
    address: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CatalogItemInput = Static<typeof CatalogItemInputSchema>;
