/**
 * `list[index]` for a test, failing with what was missing rather than with a TypeError on
 * `undefined` a line later. A negative index counts from the end, as `Array.prototype.at` does.
 * Throws a plain Error, so it serves Vitest and Playwright alike.
 */
export function at<T>(list: ArrayLike<T>, index: number): T {
  const i = index < 0 ? list.length + index : index;
  if (!(i >= 0 && i < list.length))
    throw new Error(`expected an element at index ${index}, but the list has ${list.length}`);
  // In range, so an element of the list (which may itself be undefined when T allows it).
  return list[i] as T;
}
