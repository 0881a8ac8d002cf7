/**
 * Shared builder for the recovery-phrase word-list modules.
 * @module
 * @internal
 */

/**
 * Splits a newline-separated list (surrounding blank lines ignored) into a frozen array. A plain
 * function so each list module can mark the call `@__PURE__`: bundlers then drop every list a
 * program never references, which is what keeps the eleven opt-in lists out of other bundles.
 * @internal
 */
export function wordList(text: string): readonly string[] {
  return Object.freeze(text.trim().split('\n'));
}
