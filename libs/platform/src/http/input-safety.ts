import { ValidationProblem } from './validation-problem';

/** Deeper than any of our request shapes; a limit so transforming a body cannot exhaust the stack. */
export const MAX_INPUT_DEPTH = 32;

// PostgreSQL text and jsonb cannot store U+0000, and a lone UTF-16 surrogate is not text at all.
// Keys that reach an object's prototype when copied: never a field of ours, refused like any unknown one.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses input no field validator should have to think about: strings PostgreSQL cannot store
 * (they would fail as a 500 at the database), nesting deeper than `MAX_INPUT_DEPTH`, and keys
 * such as `__proto__` (class-transformer drops them silently; they must be a 400 like any
 * unknown field).
 * Iterative, so a hostile body cannot overflow the stack here either.
 */
export function assertStorableInput(value: unknown, root: string): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current)) throw problem(path, `${path || 'value'} contains a NUL character or a broken UTF-16 surrogate`);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) throw problem(path, `${path || 'body'} nests deeper than ${MAX_INPUT_DEPTH} levels`);
    for (const [key, child] of Object.entries(current)) {
      if (UNSTORABLE.test(key)) throw problem(path, `${path || 'body'} has a field name with a NUL character or a broken surrogate`);
      const childPath = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(current) && PROTOTYPE_KEYS.has(key)) throw problem(childPath, `property ${key} should not exist`);
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}

function problem(field: string, message: string): ValidationProblem {
  return new ValidationProblem([{ field: field || 'body', messages: [message] }]);
}
