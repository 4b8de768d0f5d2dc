// Building blocks of the store API's schemas: ids, nullable values, paging, references, lists.

import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Id = Type.String({ minLength: 1, maxLength: 100 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};
export const Search = Type.Optional(Type.String({ maxLength: 200 }));

/** A page of a list: the items asked for and how many there are in all. */
export const PageSchema = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer() });

/** For routes that take no body: `{}` or nothing; anything else is refused. */
export const NoBody = Type.Object({}, { additionalProperties: false });

/** A reference to a catalog item as shown in documents and reports. */
export const ItemRefSchema = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() });
export type ItemRef = Static<typeof ItemRefSchema>;
