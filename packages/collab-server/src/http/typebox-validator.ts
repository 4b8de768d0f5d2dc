// Validates the server API's requests with TypeBox's compiler instead of Fastify's Ajv, so bodies
// are checked strictly (no type coercion) while query strings and params are converted from text.

import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { VestnikError } from '@vestnik/protocol';

export const typeboxValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  return (input: unknown) => {
    const value = httpPart === 'body' ? input : Value.Convert(schema, input);
    if (check.Check(value)) return { value };
    const problems = [...check.Errors(value)].slice(0, 10).map((e) => ({
      path: `${httpPart ?? 'input'}${e.path.replaceAll('/', '.')}`,
      message: e.message,
    }));
    const first = problems[0];
    return {
      error: new VestnikError(
        'INVALID_ARGUMENT',
        first ? `${first.path}: ${first.message}.` : `The ${httpPart ?? 'input'} is invalid.`,
        { problems },
      ),
    };
  };
};
