// The routes an OpenAPI document describes, with the body fields each accepts: what the bad-input
// suites walk to send hostile values to every route of the store and of the collaboration server.

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
}

export interface DescribedRoute {
  /** GET, POST, ... */
  method: string;
  /** The path with `{name}` parameters, less `prefix`. */
  template: string;
  /** Every property name of the JSON body, nested ones included (a few levels deep). */
  fields: string[];
}

function fieldNames(schema: unknown, depth = 0): string[] {
  if (typeof schema !== 'object' || schema === null || depth > 3) return [];
  const s = schema as { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] };
  return [
    ...Object.keys(s.properties ?? {}),
    ...Object.values(s.properties ?? {}).flatMap((p) => fieldNames(p, depth + 1)),
    ...fieldNames(s.items, depth + 1),
    ...(s.anyOf ?? []).flatMap((p) => fieldNames(p, depth + 1)),
  ];
}

export function describedRoutes(doc: OpenApiDocument, prefix = ''): DescribedRoute[] {
  return Object.entries(doc.paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template: template.startsWith(prefix) ? template.slice(prefix.length) : template,
      fields: fieldNames(operation.requestBody?.content?.['application/json']?.schema),
    })),
  );
}
