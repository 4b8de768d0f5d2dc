// A schema name the adapter can put in `search_path` and `create schema` unquoted: a plain
// lower-case identifier, as configuration readers check it before anything connects.

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isSchemaName(name: string): boolean {
  return SCHEMA_NAME.test(name);
}
