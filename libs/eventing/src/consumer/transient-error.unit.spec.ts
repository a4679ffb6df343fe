import { isTransient } from './transient-error';

describe('transient errors (redelivered, not parked)', () => {
  it.each([['40P01', 'deadlock'], ['40001', 'serialization failure'], ['57P01', 'admin shutdown'], ['08006', 'connection failure'], ['53300', 'too many connections'], ['ECONNRESET', 'socket reset']])(
    '%s (%s) is transient', (code: string, _what: string) => expect(isTransient(Object.assign(new Error('x'), { code }))).toBe(true));

  it.each([['23505', 'unique violation'], ['22P02', 'invalid input'], [undefined, 'a bug in the handler']])(
    '%s (%s) is not', (code: string | undefined, _what: string) => expect(isTransient(Object.assign(new Error('x'), { code }))).toBe(false));
});
