import { breakingChanges } from './compatibility';
import { JsonSchema } from './json-schema';

const published: JsonSchema = {
  type: 'object',
  required: ['id', 'amount'],
  properties: { id: { type: 'string' }, amount: { type: 'integer' }, kind: { type: 'string', enum: ['a', 'b'] } },
};

describe('schema compatibility', () => {
  it('accepts an added optional field and an added enum value', () => {
    expect(breakingChanges(published, {
      ...published,
      properties: { ...published.properties, note: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b', 'c'] } },
    })).toEqual([]);
  });

  it('reports a removed, a retyped and a newly required field, and a removed enum value', () => {
    expect(breakingChanges(published, {
      type: 'object',
      required: ['id', 'amount', 'note'],
      properties: { amount: { type: 'string' }, note: { type: 'string' }, kind: { type: 'string', enum: ['a'] } },
    })).toEqual(['id: removed', 'amount.: type "integer" became "string"', 'kind.: enum value "b" removed', 'note: newly required']);
  });

  it('reports a field that starts or stops being sealed personal data', () => {
    const sealed: JsonSchema = { type: 'object', properties: { email: { type: 'string', 'x-personal-data': true }, id: { type: 'string' } } };
    expect(breakingChanges(sealed, { type: 'object', properties: { email: { type: 'string' }, id: { type: 'string', 'x-personal-data': true } } }))
      .toEqual(['email.: personal-data marking removed', 'id.: personal-data marking added']);
  });
});
