import { randomBytes, randomUUID } from 'node:crypto';
import { TestDatabase } from '@crm/testing';
import { freshEventingDatabase } from '../testing/eventing-test-kit';
import { PersonalDataErasedError, PersonalDataVault } from './personal-data-vault';
import { ERASED } from './sealed-value';

describe('personal-data vault (real PostgreSQL)', () => {
  let db: TestDatabase;
  let vault: PersonalDataVault;
  const paths = ['contacts[].name', 'contacts[].email'];
  const data = { legalName: 'Acme', contacts: [{ name: 'Li Wei', role: 'CFO', email: 'li.wei@example.cn' }] };

  beforeAll(async () => {
    db = await freshEventingDatabase();
    vault = new PersonalDataVault(db.pool, randomBytes(32));
  });
  afterAll(() => db.drop());

  it('seals with a key per subject that is stored wrapped, and opens again', async () => {
    const subject = randomUUID();
    const sealed = await vault.seal(subject, data, paths);
    expect(JSON.stringify(sealed)).not.toMatch(/Li Wei|li\.wei/);
    expect(sealed.legalName).toBe('Acme');
    expect(sealed.contacts[0].role).toBe('CFO');
    expect(await vault.open(subject, sealed, paths)).toEqual({ data, erased: false });
    const { rows: [row] } = await db.pool.query('SELECT wrapped_key FROM personal_data_keys WHERE subject = $1', [subject]);
    expect(row.wrapped_key.toString('utf8')).toMatch(/^sealed:v1:/);
  });

  it('cannot open another subject\'s data, nor with another master key', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const sealedForA = await vault.seal(a, data, paths);
    await vault.seal(b, data, paths);
    await expect(vault.open(b, sealedForA, paths)).rejects.toThrow();
    await expect(new PersonalDataVault(db.pool, randomBytes(32)).open(a, sealedForA, paths)).rejects.toThrow();
  });

  it('erases by destroying the key: sealed data reads [erased], the rest is intact, new personal data is refused', async () => {
    const subject = randomUUID();
    const sealed = await vault.seal(subject, data, paths);
    await vault.erase(subject);
    await vault.erase(subject);
    expect(await vault.open(subject, sealed, paths)).toEqual({
      data: { legalName: 'Acme', contacts: [{ name: ERASED, role: 'CFO', email: ERASED }] }, erased: true,
    });
    await expect(vault.seal(subject, data, paths)).rejects.toBeInstanceOf(PersonalDataErasedError);
    const { rows: [row] } = await db.pool.query('SELECT wrapped_key, erased_at FROM personal_data_keys WHERE subject = $1', [subject]);
    expect(row.wrapped_key).toBeNull();
    expect(row.erased_at).toBeInstanceOf(Date);
  });

  it('gives concurrent first uses one key', async () => {
    const subject = randomUUID();
    const sealed = await Promise.all(Array.from({ length: 8 }, () => vault.seal(subject, data, paths)));
    for (const s of sealed) expect((await vault.open(subject, s, paths)).data).toEqual(data);
  });
});
