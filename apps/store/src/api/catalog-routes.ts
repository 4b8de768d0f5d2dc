// Catalogs over HTTP: list and search, read, create, edit. Everyone reads; managers and
// administrators write.

import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import {
  CatalogItemInputSchema,
  CatalogItemParamsSchema,
  CatalogItemSchema,
  CatalogListQuerySchema,
  CatalogPageSchema,
  CatalogParamsSchema,
} from '@vestnik/store-api';
import { createItem, getItem, listItems, updateItem } from '../modules/catalogs/catalogs-service.js';
import type { RouteDeps } from './deps.js';
import { errors } from './schemas.js';

const readers = ['Administrator', 'Manager', 'Courier'] as const;
const writers = ['Administrator', 'Manager'] as const;

export function catalogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.ctx;

  app.get<{ Params: Static<typeof CatalogParamsSchema>; Querystring: Static<typeof CatalogListQuerySchema> }>(
    '/api/catalogs/:catalog',
    {
      schema: {
        tags: ['catalogs'],
        summary: 'List or search a catalog',
        params: CatalogParamsSchema,
        querystring: CatalogListQuerySchema,
        response: { 200: CatalogPageSchema, ...errors(400, 401, 403) },
      },
      config: { access: readers },
    },
    async (request) =>
      listItems(db, request.params.catalog, {
        search: request.query.search?.trim(),
        limit: request.query.limit ?? 50,
        offset: request.query.offset ?? 0,
      }),
  );

  app.get<{ Params: Static<typeof CatalogItemParamsSchema> }>(
    '/api/catalogs/:catalog/:id',
    {
      schema: {
        tags: ['catalogs'],
        summary: 'One catalog item',
        params: CatalogItemParamsSchema,
        response: { 200: CatalogItemSchema, ...errors(400, 401, 403, 404) },
      },
      config: { access: readers },
    },
    async (request) => getItem(db, request.params.catalog, request.params.id),
  );

  app.post<{ Params: Static<typeof CatalogParamsSchema>; Body: Static<typeof CatalogItemInputSchema> }>(
    '/api/catalogs/:catalog',
    {
      schema: {
        tags: ['catalogs'],
        summary: 'Create a catalog item',
        params: CatalogParamsSchema,
        body: CatalogItemInputSchema,
        response: { 201: CatalogItemSchema, ...errors(400, 401, 403, 409, 422) },
      },
      config: { access: writers },
    },
    async (request, reply) => {
      const item = await createItem(db, request.params.catalog, request.body);
      return reply.status(201).send(item);
    },
  );

  app.put<{ Params: Static<typeof CatalogItemParamsSchema>; Body: Static<typeof CatalogItemInputSchema> }>(
    '/api/catalogs/:catalog/:id',
    {
      schema: {
        tags: ['catalogs'],
        summary: 'Edit a catalog item',
        params: CatalogItemParamsSchema,
        body: CatalogItemInputSchema,
        response: { 200: CatalogItemSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
      config: { access: writers },
    },
    async (request) => updateItem(db, request.params.catalog, request.params.id, request.body),
  );
}
