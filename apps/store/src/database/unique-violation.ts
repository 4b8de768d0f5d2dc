// Tells a unique-constraint violation from other database errors, on both dialects, so that two
// writers racing for one code or login get DUPLICATE_KEY rather than a 500.

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
