import { mapPersonalFields } from './personal-fields';

describe('mapping personal fields', () => {
  const upper = (s: string) => s.toUpperCase();

  it('transforms the strings at each path, inside arrays too, and copies instead of mutating', () => {
    const data = { legalName: 'Acme', contacts: [{ name: 'li', role: 'cfo', email: 'li@x' }, { name: 'wang', role: 'buyer' }] };
    const mapped = mapPersonalFields(data, ['contacts[].name', 'contacts[].email', 'contacts[].phone'], upper);
    expect(mapped).toEqual({ legalName: 'Acme', contacts: [{ name: 'LI', role: 'cfo', email: 'LI@X' }, { name: 'WANG', role: 'buyer' }] });
    expect(data.contacts[0].name).toBe('li');
  });

  it('leaves absent paths, non-strings and non-arrays alone', () => {
    const data = { contacts: 'none', owner: { name: 42 } };
    expect(mapPersonalFields(data, ['contacts[].name', 'owner.name', 'missing.name'], upper)).toEqual(data);
  });
});
