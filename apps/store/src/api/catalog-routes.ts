// Catalogs over HTTP: list and search, read, create, edit. Everyone reads; managers and
// administrators write.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { CatalogName } from '../database/schema.js';
import { createItem, getItem, listItems, updateItem } from '../modules/catalogs/catalogs-service.js';
import { catalogNames } from '../modules/catalogs/catalog-definitions.js';
import type { RouteDeps } from './deps.js';
import { CatalogItemSchema, Id, Paging, Search, errors } from './schemas.js';

const CatalogParam = Type.Union(catalogNames.map((name) => Type.Literal(name)));
const ListParams = Type.Object({ catalog: CatalogParam }, { additionalProperties: false });
const ItemParams = Type.Object({ catalog: CatalogParam, id: Id }, { additionalProperties: false });
const ListQuery = Type.Object({ search: Search, ...Paging }, { additionalProperties: false });
const ItemBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 50 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    price: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    phone: Type.Optional(Type.String({ maxLength: 50 })),
    address: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const readers = ['Administrator', 'Manager', 'Courier'] as const;
const writers = ['Administrator', 'Manager'] as const;

export function catalogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.ctx;

  app.get<{ Params: Static<typeof ListParams>; Querystring: Static<typeof ListQuery> }>(
    '/api/catalogs/:catalog',
    {
      schema: {
        tags: ['catalogs'],
        summary: 'List or search a catalog',
        params: ListParams,
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(CatalogItemSchema), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
      config: { access: readers },
    },
    async (request) =>
      listItems(db, request.params.catalog as CatalogName, {
        search: request.query.search?.trim(),
        limit: request.query.limit ?? 50,
        offset: request.query.offset ?? 0,
      }),
  );

  app.get<{ Params: Static<typeof ItemParams> }>(
    '/api/catalogs/:catalog/:id',
    {
      schema: {
        tags: ['catalogs'],
        summary: 'One catalog item',
        params: ItemParams,
        response: { 200: CatalogItemSchema, ...errors(400, 401, 403, 404) },
      },
      config: { access: readers },
    },
    async (request) => getItem(db, request.params.catalog as CatalogName, request.params.id),
  );

  app.post<{ Params: Static<typeof ListParams>; Body: Static<typeof ItemBody> }>(
    '/api/catalogs/:catalog',
    {
      schema: {
        tags: ['catalogs'],
        summary: 'Create a catalog item',
        params: ListParams,
        body: ItemBody,
        response: { 201: CatalogItemSchema, ...errors(400, 401, 403, 409, 422) },
      },
      config: { access: writers },
    },
    async (request, reply) => {
      const item = await createItem(db, request.params.catalog as CatalogName, request.body);
      return reply.status(201).send(item);
    },
  );

  app.put<{ Params: Static<typeof ItemParams>; Body: Static<typeof ItemBody> }>(
    '/api/catalogs/:catalog/:id',
    {
      schema: {
        tags: ['catalogs'],
        summary: 'Edit a catalog item',
        params: ItemParams,
        body: ItemBody,
        response: { 200: CatalogItemSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
      config: { access: writers },
    },
    async (request) => updateItem(db, request.params.catalog as CatalogName, request.params.id, request.body),
  );
}
