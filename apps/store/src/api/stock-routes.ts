// The ProductStock reports over HTTP: balances at a date by any dimensions, and movements.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { VestnikError } from '@vestnik/protocol';
import { stockDimensions, type StockDimension } from '../modules/stock/stock-service.js';
import { balanceReport, movementReport } from '../workflows/stock-report.js';
import type { RouteDeps } from './deps.js';
import { Id, ItemRefSchema, Paging, errors } from './schemas.js';

const BalanceQuery = Type.Object(
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

const MovementQuery = Type.Object({ orderId: Type.Optional(Id), ...Paging }, { additionalProperties: false });

const StockRowSchema = Type.Object({
  product: Type.Optional(ItemRefSchema),
  color: Type.Optional(ItemRefSchema),
  size: Type.Optional(ItemRefSchema),
  warehouse: Type.Optional(ItemRefSchema),
  ordered: Type.Number(),
});

const MovementSchema = Type.Object({
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

const managers = ['Administrator', 'Manager'] as const;

export function stockRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.ctx;

  app.get<{ Querystring: Static<typeof BalanceQuery> }>(
    '/api/stock/balances',
    {
      schema: {
        tags: ['stock'],
        summary: 'ProductStock balances at a date, by the chosen dimensions',
        querystring: BalanceQuery,
        response: {
          200: Type.Object({
            at: Type.String(),
            groupBy: Type.Array(Type.String()),
            rows: Type.Array(StockRowSchema),
            total: Type.Number(),
          }),
          ...errors(400, 401, 403),
        },
      },
      config: { access: managers },
    },
    async (request) => {
      const q = request.query;
      const at = q.at === undefined ? Date.now() : Date.parse(q.at);
      if (!Number.isFinite(at)) throw new VestnikError('INVALID_ARGUMENT', '"at" is not a valid time.');
      const groupBy = q.groupBy
        ? stockDimensions.filter((d) => (q.groupBy as string).split(',').includes(d))
        : [...stockDimensions];
      const filter: Partial<Record<StockDimension, string>> = {};
      if (q.productId) filter.product = q.productId;
      if (q.colorId) filter.color = q.colorId;
      if (q.sizeId) filter.size = q.sizeId;
      if (q.warehouseId) filter.warehouse = q.warehouseId;
      return balanceReport(db, { at, groupBy, filter });
    },
  );

  app.get<{ Querystring: Static<typeof MovementQuery> }>(
    '/api/stock/movements',
    {
      schema: {
        tags: ['stock'],
        summary: 'ProductStock movements, optionally of one order',
        querystring: MovementQuery,
        response: {
          200: Type.Object({ rows: Type.Array(MovementSchema), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
      config: { access: managers },
    },
    async (request) =>
      movementReport(db, {
        recorderId: request.query.orderId,
        limit: request.query.limit ?? 50,
        offset: request.query.offset ?? 0,
      }),
  );
}
