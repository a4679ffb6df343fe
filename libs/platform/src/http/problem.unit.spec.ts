import { domainError } from '@crm/contracts';
import { domainErrorProblem } from './problem';

describe('domain errors as problem+json', () => {
  it.each([
    ['invalid', 400], ['forbidden', 403], ['not-found', 404], ['conflict', 409], ['refused', 422],
  ] as const)('maps the kind %s to %i, keeping the stable code as the type', (kind, status) => {
    const problem = domainErrorProblem(domainError('some-rule', kind, 'because'));
    expect(problem).toMatchObject({ type: 'https://crm.example/problems/some-rule', status, detail: 'because' });
    expect(problem.errors).toBeUndefined();
  });

  it('names the field at fault and carries the details', () => {
    expect(domainErrorProblem(domainError('duplicate-tax-id', 'conflict', 'taken', 'taxId', { existingCustomerId: 'c-1' })))
      .toMatchObject({ status: 409, errors: [{ field: 'taxId', messages: ['taken'] }], existingCustomerId: 'c-1' });
  });
});
