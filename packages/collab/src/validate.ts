// Argument checks shared by every entry point. Each failure is an INVALID_ARGUMENT (or
// PAYLOAD_TOO_LARGE) naming the argument and what was wrong with it.

import { VestnikError, type Json } from '@vestnik/protocol';
import type { CollabLimits } from './limits.js';
import type { ConversationSelector } from './model.js';

function invalid(argument: string, problem: string): VestnikError {
  return new VestnikError('INVALID_ARGUMENT', `${argument} ${problem}.`, { argument });
}

export function requireObject(value: unknown, argument: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(argument, 'must be an object');
  }
  return value as Record<string, unknown>;
}

export function requireString(
  value: unknown,
  argument: string,
  maxLength: number,
  allowEmpty = false,
): string {
  if (typeof value !== 'string') throw invalid(argument, 'must be a string');
  if (!allowEmpty && value.trim() === '') throw invalid(argument, 'must not be empty');
  if (value.length > maxLength) throw invalid(argument, `must be at most ${maxLength} characters`);
  // PostgreSQL cannot store U+0000 in text or jsonb; refused on every storage alike.
  if (value.includes('\u0000')) throw invalid(argument, 'must not contain the character U+0000');
  return value;
}

export function optionalString(value: unknown, argument: string, maxLength: number): string | undefined {
  return value === undefined ? undefined : requireString(value, argument, maxLength);
}

export function optionalBoolean(value: unknown, argument: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalid(argument, 'must be true or false');
  return value;
}

export function optionalInteger(
  value: unknown,
  argument: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(argument, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function stringList(value: unknown, argument: string, maxItems: number, maxLength: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(argument, 'must be an array of ids');
  if (value.length > maxItems) throw invalid(argument, `must have at most ${maxItems} items`);
  return [...new Set(value.map((item, i) => requireString(item, `${argument}[${i}]`, maxLength)))];
}

export function conversationSelector(value: unknown, maxLength: number): ConversationSelector {
  const selector = requireObject(value, 'conversation');
  if (selector.id !== undefined) return { id: requireString(selector.id, 'conversation.id', maxLength) };
  if (selector.key !== undefined) return { key: requireString(selector.key, 'conversation.key', maxLength) };
  throw invalid('conversation', 'must name a key or an id');
}

/** Serializes message data, refusing what is not plain JSON or is larger than the limit. */
export function serializeData(value: unknown, limits: CollabLimits): { json: string; data: Json } {
  if (value === undefined) return { json: 'null', data: null };
  assertPlainJson(value, 'data', 0);
  const json = JSON.stringify(value);
  if (Buffer.byteLength(json, 'utf8') > limits.maxDataBytes) {
    throw new VestnikError(
      'PAYLOAD_TOO_LARGE',
      `Message data is larger than ${limits.maxDataBytes} bytes of JSON.`,
      { argument: 'data', limit: limits.maxDataBytes },
    );
  }
  return { json, data: value as Json };
}

const MAX_DEPTH = 32;

function assertPlainJson(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw invalid(path, `is nested deeper than ${MAX_DEPTH} levels`);
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw invalid(path, 'must not contain the character U+0000');
    return;
  }
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(path, 'must be a finite number');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) throw invalid(path, 'must not have a key with the character U+0000');
      assertPlainJson(item, `${path}.${key}`, depth + 1);
    }
    return;
  }
  throw invalid(path, 'must be plain JSON (objects, arrays, strings, finite numbers, booleans, null)');
}
