import { describe, expect, it } from 'vitest';
import { grown } from '../../src/newsroom/typed-arrays.ts';

describe('grown', () => {
  it('keeps the type and the values, and zeroes the new room', () => {
    const a = Int32Array.from([3, -1, 7]);
    const b = grown(a, 6);
    expect(b).toBeInstanceOf(Int32Array);
    expect(Array.from(b)).toEqual([3, -1, 7, 0, 0, 0]);
    expect(b).not.toBe(a);
    const f = grown(Float64Array.from([0.5]), 2);
    expect(f).toBeInstanceOf(Float64Array);
    expect(Array.from(f)).toEqual([0.5, 0]);
    expect(Array.from(grown(Uint16Array.from([65535]), 2))).toEqual([65535, 0]);
  });
});
