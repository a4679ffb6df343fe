import { contractUpcasters } from '../upcasters';
import { publishedContracts } from '../registry';
import { JsonSchema } from '../json-schema';

const upcast = (type: string, data: Record<string, unknown>) => contractUpcasters.find((u) => u.type === type && u.fromVersion === 1)!.upcast(data);

/** Just enough of JSON Schema to check an upcast payload against the committed v2 shape. */
function fits(value: unknown, schema: JsonSchema): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (value === null) return types.includes('null');
  if (Array.isArray(value)) return types.includes('array') && value.every((v) => fits(v, schema.items ?? {}));
  if (typeof value === 'object') {
    return types.includes('object') && (schema.required ?? []).every((k) => k in (value as object))
      && Object.entries(value as object).every(([k, v]) => !schema.properties?.[k] || fits(v, schema.properties[k]));
  }
  if (typeof value === 'number') return types.includes(Number.isInteger(value) ? 'integer' : 'number') || types.includes('number');
  return types.includes(typeof value as any);
}

describe('credit upcasters (v1 → v2)', () => {
  const v2 = (type: string) => publishedContracts.find((c) => c.type === type && c.version === 2)!.schema;

  it('gives a v1 limit approval the v2 fields, with no terms recorded', () => {
    const data = upcast('CreditLimitApproved', { customerId: 'c', limit: 150_000, currency: 'CNY', approvedBy: 'cm', approvedOn: '2026-01-01' });
    expect(data).toMatchObject({ limit: 150_000, paymentTermsDays: null, grade: null, policyVersion: null, requestId: null, approvers: ['cm'] });
    expect(fits(data, v2('CreditLimitApproved'))).toBe(true);
  });

  it('gives v1 holds and releases empty causes and facts, keeping the reason', () => {
    const placed = upcast('CreditHoldPlaced', { customerId: 'c', reason: 'dunning level 3', placedOn: '2026-01-01' });
    expect(placed).toMatchObject({ reason: 'dunning level 3', causes: [], facts: [], automatic: false });
    expect(fits(placed, v2('CreditHoldPlaced'))).toBe(true);
    const released = upcast('CreditHoldReleased', { customerId: 'c', reason: 'paid', releasedOn: '2026-01-02' });
    expect(fits(released, v2('CreditHoldReleased'))).toBe(true);
  });
});
