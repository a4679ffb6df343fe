import { ValidationProblem } from './validation-problem';
import { UuidParamPipe } from './uuid-param';

describe('UuidParamPipe', () => {
  const pipe = new UuidParamPipe('contactId');

  it('passes a UUID through, lower-cased (one spelling per id)', () =>
    expect(pipe.transform('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e'));

  it('refuses anything else with a validation problem naming the parameter', () => {
    const thrown = (() => { try { pipe.transform('not-a-uuid'); } catch (e) { return e; } return undefined; })();
    expect(thrown).toBeInstanceOf(ValidationProblem);
    expect((thrown as ValidationProblem).errors).toEqual([{ field: 'contactId', messages: ['contactId must be a UUID'] }]);
  });
});
