import { etag, parseIfMatch } from './if-match';
import { ValidationProblem } from './validation-problem';

describe('If-Match', () => {
  it('reads back the ETags this API writes, and nothing when absent', () => {
    expect(parseIfMatch(etag(7))).toBe(7);
    expect(parseIfMatch(' "12" ')).toBe(12);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it.each(['7', '"7', '*', '"2", "3"', '"1e23"', `"${'9'.repeat(30)}"`])('refuses %s naming the header', (value) => {
    try {
      parseIfMatch(value);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationProblem);
      expect((error as ValidationProblem).errors[0].field).toBe('If-Match');
    }
  });
});
