// Validates the server API's requests with TypeBox's compiler instead of Fastify's Ajv, so bodies
// are checked strictly (no type coercion) while query strings and params are converted from text.
// Failures are reported in Ajv's terms, so that the one error handler (error-handler.ts) words
// them as it words the store's.

import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, ValueErrorType, type ValueError } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';

/** A TypeBox error as Ajv reports it: a missing or an unknown property names its object and itself. */
function asAjvError(error: ValueError): FastifySchemaValidationError {
  const property =
    error.type === ValueErrorType.ObjectRequiredProperty
      ? { keyword: 'required', param: 'missingProperty' }
      : error.type === ValueErrorType.ObjectAdditionalProperties
        ? { keyword: 'additionalProperties', param: 'additionalProperty' }
        : undefined;
  if (property === undefined) {
    return {
      keyword: ValueErrorType[error.type],
      instancePath: error.path,
      schemaPath: '',
      params: {},
      message: error.message,
    };
  }
  const slash = error.path.lastIndexOf('/');
  return {
    keyword: property.keyword,
    instancePath: error.path.slice(0, slash),
    schemaPath: '',
    params: { [property.param]: error.path.slice(slash + 1) },
    message: error.message,
  };
}

export const typeboxValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  return (input: unknown) => {
    const value = httpPart === 'body' ? input : Value.Convert(schema, input);
    if (check.Check(value)) return { value };
    // Fastify wraps these as a FST_ERR_VALIDATION error with `validation` and `validationContext`.
    return { error: [...check.Errors(value)].slice(0, 20).map(asAjvError) };
  };
};
