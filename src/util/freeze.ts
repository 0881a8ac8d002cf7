/**
 * Freezes a constant table and every plain object and array inside it, so an exported table the
 * SDK itself reads (labels, namespaces, seed lists, providers) cannot be changed by other code in
 * the same process. Typed arrays are left alone (freezing a non-empty one throws).
 * @module
 */

/** Returns `value`, deeply frozen. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  for (const v of Object.values(value as object)) deepFreeze(v);
  return Object.freeze(value);
}
