import { personalDataPaths } from './personal-data-paths';
import { arr, obj, personal, str } from './schema-builders';

describe('personal-data paths of a schema', () => {
  it('finds marked strings at any depth, arrays written []', () => {
    const schema = obj({ legalName: str(), owner: obj({ 'name?': personal('a person') }), 'contacts?': arr(obj({ name: personal('n'), role: str(), 'email?': personal('e') })) });
    expect(personalDataPaths(schema)).toEqual(['owner.name', 'contacts[].name', 'contacts[].email']);
  });

  it('finds none in a schema without personal data', () => expect(personalDataPaths(obj({ id: str() }))).toEqual([]));
});
