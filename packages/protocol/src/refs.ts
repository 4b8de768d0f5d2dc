// References to application objects inside message data: `{ "$ref": "Order", "id": "..." }`.

export interface Ref {
  $ref: string;
  id: string;
}

export function ref(type: string, id: string): Ref {
  return { $ref: type, id };
}

export function isRef(value: unknown): value is Ref {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.$ref === 'string' && typeof candidate.id === 'string';
}
