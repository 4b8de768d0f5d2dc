// Orders over HTTP: list, read, Save, Post, Cancel posting. Handlers only check who may see what
// and hand the rest to the posting workflow.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { VestnikError } from '@vestnik/protocol';
import {
  IdParams,
  NoBody,
  OrderInputSchema,
  OrderListQuerySchema,
  OrderPageSchema,
  OrderPostBodySchema,
  OrderSchema,
} from '@vestnik/store-api';
import { authOf, hasRole } from '../http/access.js';
import { listItems } from '../modules/catalogs/catalogs-service.js';
import type { OrderInput, OrderRecord } from '../modules/orders/order-record.js';
import { findOrder, listOrders } from '../modules/orders/orders-service.js';
import { courierOfUser } from '../workflows/courier-directory.js';
import { orderSummaries, orderView } from '../workflows/order-view.js';
import { saveOrder, type OrderAction } from '../workflows/save-order.js';
import type { RouteDeps } from './deps.js';
import { emptyBodyIfMissing, errors } from './schemas.js';

/** Post takes the whole document or nothing: a body with some fields must have these too. */
const requiredForInput = ['customerId', 'address', 'warehouseId', 'courierId', 'status', 'items'] as const;

const everyone = ['Administrator', 'Manager', 'Courier'] as const;
const managers = ['Administrator', 'Manager'] as const;

export function orderRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;
  const { db } = ctx;

  /** A courier (who is not also a manager) sees only the posted orders addressed to them. */
  const courierScope = async (request: FastifyRequest): Promise<{ courierId: string | null } | undefined> => {
    const { user } = authOf(request);
    if (hasRole(user, 'Administrator', 'Manager')) return undefined;
    return { courierId: (await courierOfUser(db, user.login))?.id ?? null };
  };

  const visibleOrder = async (request: FastifyRequest, id: string): Promise<OrderRecord> => {
    const order = await findOrder(db, id);
    const scope = await courierScope(request);
    const hidden = scope !== undefined && (!order || !order.posted || order.courierId !== scope.courierId);
    if (!order || hidden) throw new VestnikError('NOT_FOUND', 'No such order.', { id });
    return order;
  };

  const run = async (id: string | undefined, input: OrderInput | undefined, action: OrderAction) => {
    const { order, refs } = await saveOrder(ctx, { id, input, action });
    return orderView(db, order, refs);
  };

  app.get<{ Querystring: Static<typeof OrderListQuerySchema> }>(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'List orders (a courier gets only the posted orders addressed to them)',
        querystring: OrderListQuerySchema,
        response: { 200: OrderPageSchema, ...errors(400, 401, 403) },
      },
      config: { access: everyone },
    },
    async (request) => {
      const q = request.query;
      const scope = await courierScope(request);
      if (scope && (scope.courierId === null || (q.courierId && q.courierId !== scope.courierId))) {
        return { items: [], total: 0 };
      }
      const search = q.search?.trim();
      const customerIds = search
        ? (await listItems(db, 'customers', { search, limit: 200, offset: 0 })).items.map((c) => c.id)
        : undefined;
      const { items, total } = await listOrders(db, {
        status: q.status,
        courierId: scope?.courierId ?? q.courierId,
        posted: scope ? true : q.posted,
        search,
        customerIds,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      return { items: await orderSummaries(db, items), total };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'One order (another courier’s order: 404)',
        params: IdParams,
        response: { 200: OrderSchema, ...errors(400, 401, 403, 404) },
      },
      config: { access: everyone },
    },
    async (request) => orderView(db, await visibleOrder(request, request.params.id)),
  );

  app.post<{ Body: Static<typeof OrderInputSchema> }>(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Create an order (saved, not posted; the number is assigned)',
        body: OrderInputSchema,
        response: { 201: OrderSchema, ...errors(400, 401, 403, 422) },
      },
      config: { access: managers },
    },
    async (request, reply) => reply.status(201).send(await run(undefined, request.body, 'save')),
  );

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof OrderInputSchema> }>(
    '/api/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'Save an order (a posted order is re-posted)',
        params: IdParams,
        body: OrderInputSchema,
        response: { 200: OrderSchema, ...errors(400, 401, 403, 404, 422) },
      },
      config: { access: managers },
    },
    async (request) => run(request.params.id, request.body, 'save'),
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof OrderPostBodySchema> }>(
    '/api/orders/:id/post',
    {
      schema: {
        tags: ['orders'],
        summary: 'Post an order: with a body, save it first',
        params: IdParams,
        body: OrderPostBodySchema,
        response: { 200: OrderSchema, ...errors(400, 401, 403, 404, 422) },
      },
      config: { access: managers },
      preValidation: emptyBodyIfMissing,
    },
    async (request) => {
      const body = request.body;
      if (Object.keys(body).length === 0) return run(request.params.id, undefined, 'post');
      const missing = requiredForInput.filter((key) => body[key] === undefined);
      if (missing.length > 0) {
        throw new VestnikError(
          'INVALID_ARGUMENT',
          `Send the whole order or nothing; missing: ${missing.join(', ')}.`,
          {
            problems: missing.map((path) => ({ path, message: `body.${path}: is required` })),
          },
        );
      }
      return run(request.params.id, body as OrderInput, 'post');
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/orders/:id/unpost',
    {
      schema: {
        tags: ['orders'],
        summary: 'Cancel the posting of an order (its movements are removed)',
        params: IdParams,
        body: NoBody,
        response: { 200: OrderSchema, ...errors(400, 401, 403, 404) },
      },
      config: { access: managers },
      preValidation: emptyBodyIfMissing,
    },
    async (request) => run(request.params.id, undefined, 'unpost'),
  );
}
