// The ProductStock register's reports: /api/stock/balances and /api/stock/movements.

import { Type, type Static } from '@sinclair/typebox';
import { Id, ItemRefSchema, Paging } from './common.js';

export const StockDimensionSchema = Type.Union([
  Type.Literal('product'),
  Type.Literal('color'),
  Type.Literal('size'),
  Type.Literal('warehouse'),
]);
export type StockDimension = Static<typeof StockDimensionSchema>;

export const StockBalanceQuerySchema = Type.Object(
  {
    at: Type.Optional(Type.String({ format: 'date-time' })),
    groupBy: Type.Optional(
      Type.String({ pattern: '^(product|color|size|warehouse)(,(product|color|size|warehouse))*$' }),
    ),
    productId: Type.Optional(Id),
    colorId: Type.Optional(Id),
    sizeId: Type.Optional(Id),
    warehouseId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type StockBalanceQuery = Static<typeof StockBalanceQuerySchema>;

/** A balance; only the dimensions asked for in groupBy are present. */
export const StockRowSchema = Type.Object({
  product: Type.Optional(ItemRefSchema),
  color: Type.Optional(ItemRefSchema),
  size: Type.Optional(ItemRefSchema),
  warehouse: Type.Optional(ItemRefSchema),
  ordered: Type.Number(),
});
export type StockRow = Static<typeof StockRowSchema>;

export const StockReportSchema = Type.Object({
  at: Type.String(),
  groupBy: Type.Array(StockDimensionSchema),
  rows: Type.Array(StockRowSchema),
  total: Type.Number(),
});
export type StockReport = Static<typeof StockReportSchema>;

export const StockMovementQuerySchema = Type.Object(
  { orderId: Type.Optional(Id), ...Paging },
  { additionalProperties: false },
);
export type StockMovementQuery = Static<typeof StockMovementQuerySchema>;

export const StockMovementSchema = Type.Object({
  period: Type.String(),
  order: Type.Object({ id: Type.String(), number: Type.String() }),
  lineNo: Type.Integer(),
  kind: Type.String(),
  product: ItemRefSchema,
  color: ItemRefSchema,
  size: ItemRefSchema,
  warehouse: ItemRefSchema,
  ordered: Type.Number(),
});
export type StockMovement = Static<typeof StockMovementSchema>;

export const StockMovementReportSchema = Type.Object({
  rows: Type.Array(StockMovementSchema),
  total: Type.Integer(),
});
export type StockMovementReport = Static<typeof StockMovementReportSchema>;
