import { assertStorableInput, MAX_INPUT_DEPTH } from './input-safety';
import { ValidationProblem } from './validation-problem';

const fieldOf = (value: unknown, root = '') => {
  try {
    assertStorableInput(value, root);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationProblem);
    return (error as ValidationProblem).errors[0].field;
  }
};

describe('storable input', () => {
  it('accepts ordinary text, including CJK and characters outside the BMP', () =>
    expect(fieldOf({ legalName: '杭州茶叶 𠮷 😀', tags: ['a'], n: 1, x: null })).toBeUndefined());

  it('names the field holding a NUL or a lone surrogate', () => {
    expect(fieldOf({ lines: [{ description: 'a\u0000b' }] })).toBe('lines[0].description');
    expect(fieldOf({ region: 'x\ud800' })).toBe('region');
    expect(fieldOf({ region: '\udc00x' })).toBe('region');
    expect(fieldOf('a\u0000', 'key')).toBe('key');
  });

  it(`refuses nesting deeper than ${MAX_INPUT_DEPTH} levels without overflowing the stack`, () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(fieldOf({ contacts: deep })).toMatch(/^contacts(\[0\])+$/);
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) fine = [fine];
    expect(fieldOf(fine)).toBeUndefined();
  });

  it('refuses prototype keys at any depth, naming them, as parsed JSON has them', () => {
    expect(fieldOf(JSON.parse('{"__proto__":{"x":1},"reason":"r"}'))).toBe('__proto__');
    expect(fieldOf(JSON.parse('{"lines":[{"constructor":{"prototype":1}}]}'))).toBe('lines[0].constructor');
    expect(fieldOf({ prototype: 1 })).toBe('prototype');
  });
});
