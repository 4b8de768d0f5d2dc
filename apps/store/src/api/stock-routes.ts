// The ProductStock reports over HTTP: balances at a date by any dimensions, and movements.

import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { VestnikError } from '@vestnik/protocol';
import {
  StockBalanceQuerySchema,
  StockMovementQuerySchema,
  StockMovementReportSchema,
  StockReportSchema,
} from '@vestnik/store-api';
import { stockDimensions, type StockDimension } from '../modules/stock/stock-service.js';
import { balanceReport, movementReport } from '../workflows/stock-report.js';
import type { RouteDeps } from './deps.js';
import { errors } from './schemas.js';

const managers = ['Administrator', 'Manager'] as const;

export function stockRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.ctx;

  app.get<{ Querystring: Static<typeof StockBalanceQuerySchema> }>(
    '/api/stock/balances',
    {
      schema: {
        tags: ['stock'],
        summary: 'ProductStock balances at a date, by the chosen dimensions',
        querystring: StockBalanceQuerySchema,
        response: { 200: StockReportSchema, ...errors(400, 401, 403) },
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

  app.get<{ Querystring: Static<typeof StockMovementQuerySchema> }>(
    '/api/stock/movements',
    {
      schema: {
        tags: ['stock'],
        summary: 'ProductStock movements, optionally of one order',
        querystring: StockMovementQuerySchema,
        response: { 200: StockMovementReportSchema, ...errors(400, 401, 403) },
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
