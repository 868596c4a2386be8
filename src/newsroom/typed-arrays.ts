/** Scratch typed arrays that grow: the engine's scanners keep theirs between calls instead of reallocating. */

type Growable = Int32Array | Uint16Array | Float64Array;

/** A copy of `a` with room for `size` elements (the new ones zero). */
export function grown<T extends Growable>(a: T, size: number): T {
  const out = new (a.constructor as new (length: number) => T)(size);
  out.set(a as never);
  return out;
}
