import { randomBytes, randomUUID } from 'node:crypto';
import { freshEventingDatabase, TestDatabase } from '@crm/testing';
import { PersonalDataErasedError, PersonalDataVault } from './personal-data-vault';
import { ERASED, UNREADABLE } from './sealed-value';

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
    expect(row.wrapped_key.toString('utf8')).toMatch(/^mk:[0-9a-f]{16}:sealed:v1:/);
  });

  it('cannot open a subject\'s keys with another master key', async () => {
    const subject = randomUUID();
    const sealed = await vault.seal(subject, data, paths);
    await expect(new PersonalDataVault(db.pool, randomBytes(32)).open(subject, sealed, paths)).rejects.toThrow();
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

  it('seals a value that only looks sealed, and reads a value sealed for someone else as [unreadable]', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const forged = { contacts: [{ name: 'sealed:v1:AAAA', email: 'x@y.z' }] };
    const sealed = await vault.seal(a, forged, paths);
    expect(sealed.contacts[0].name).not.toBe('sealed:v1:AAAA');
    expect((await vault.open(a, sealed, paths)).data).toEqual(forged);
    const sealedForB = await vault.seal(b, data, paths);
    expect((await vault.open(a, sealedForB, paths)).data.contacts[0]).toEqual({ name: UNREADABLE, role: 'CFO', email: UNREADABLE });
  });

  it('creates no key when there is nothing personal to seal', async () => {
    const subject = randomUUID();
    expect(await vault.seal(subject, { legalName: 'Acme' }, paths)).toEqual({ legalName: 'Acme' });
    expect((await db.pool.query('SELECT 1 FROM personal_data_keys WHERE subject = $1', [subject])).rowCount).toBe(0);
  });

  it('gives concurrent first uses one key', async () => {
    const subject = randomUUID();
    const sealed = await Promise.all(Array.from({ length: 8 }, () => vault.seal(subject, data, paths)));
    for (const s of sealed) expect((await vault.open(subject, s, paths)).data).toEqual(data);
  });
});
