import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { freshEventingDatabase, runScript, TestDatabase } from '@crm/testing';
import { rotateMasterKey } from './key-rotation';
import { MasterKeyWrapper, masterKeyId } from './key-wrapper';
import { PersonalDataVault } from './personal-data-vault';
import { ERASED, seal } from './sealed-value';

describe('master-key rotation (real PostgreSQL)', () => {
  let db: TestDatabase;
  const paths = ['contacts[].name'];
  const data = { contacts: [{ name: 'Sun Li', role: 'owner' }] };
  const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];

  beforeAll(async () => { db = await freshEventingDatabase(); });
  afterAll(() => db.drop());

  const wrappedOf = async (subject: string) =>
    (await db.pool.query('SELECT wrapped_key FROM personal_data_keys WHERE subject = $1', [subject])).rows[0].wrapped_key as Buffer | null;

  it('re-wraps every key under the new master key while both are accepted; data sealed before opens after, erased stays erased', async () => {
    const before = new PersonalDataVault(db.pool, oldKey);
    const subjects = [randomUUID(), randomUUID(), randomUUID()];
    const sealed = await Promise.all(subjects.map((s) => before.seal(s, data, paths)));
    // A key wrapped before rotation existed: the bare sealed form, without the master key's id.
    const legacy = randomUUID();
    const legacyKey = randomBytes(32);
    await db.pool.query('INSERT INTO personal_data_keys (subject, wrapped_key) VALUES ($1, $2)', [legacy, Buffer.from(seal(oldKey, `key:${legacy}`, legacyKey.toString('base64')))]);
    const legacySealed = { contacts: [{ name: seal(legacyKey, legacy, 'Zhou Ming'), role: 'owner' }] };
    await before.erase(subjects[2]);

    // Replicas during the rotation: the new key wraps, the old one still unwraps.
    const during = new PersonalDataVault(db.pool, new MasterKeyWrapper(newKey, [oldKey]));
    expect((await during.open(subjects[0], sealed[0], paths)).data).toEqual(data);
    const fresh = randomUUID();
    const freshSealed = await during.seal(fresh, data, paths);
    expect((await before.open(subjects[1], sealed[1], paths)).data).toEqual(data);

    const report = await rotateMasterKey(db.pool, new MasterKeyWrapper(newKey, [oldKey]), { batchSize: 2 });
    // The two live subjects and the legacy one; the one sealed during the rotation is current already.
    expect(report).toEqual({ rewrapped: 3, current: 1, erased: 1 });
    for (const s of [subjects[0], subjects[1], legacy, fresh]) expect((await wrappedOf(s))!.toString('utf8')).toMatch(new RegExp(`^mk:${masterKeyId(newKey)}:`));
    expect(await wrappedOf(subjects[2])).toBeNull();

    // After: only the new key; every value sealed before the rotation still opens.
    const after = new PersonalDataVault(db.pool, newKey);
    expect((await after.open(subjects[0], sealed[0], paths)).data).toEqual(data);
    expect((await after.open(subjects[1], sealed[1], paths)).data).toEqual(data);
    expect((await after.open(fresh, freshSealed, paths)).data).toEqual(data);
    expect((await after.open(legacy, legacySealed, paths)).data.contacts[0].name).toBe('Zhou Ming');
    expect((await after.open(subjects[2], sealed[2], paths)).data.contacts[0].name).toBe(ERASED);
    await expect(before.open(subjects[0], sealed[0], paths)).rejects.toThrow(/not accepted here/);

    const again = await rotateMasterKey(db.pool, new MasterKeyWrapper(newKey, [oldKey]));
    expect(again.rewrapped).toBe(0);
  });

  it('never brings back a key erased between the read and the write', async () => {
    const vault = new PersonalDataVault(db.pool, oldKey);
    const subject = randomUUID();
    await vault.seal(subject, data, paths);
    const wrapper = new MasterKeyWrapper(newKey, [oldKey]);
    const racing = { isCurrent: (w: Buffer) => wrapper.isCurrent(w), unwrap: async (s: string, w: Buffer) => {
      const key = await wrapper.unwrap(s, w);
      if (s === subject) await vault.erase(subject);
      return key;
    }, wrap: (s: string, k: Buffer) => wrapper.wrap(s, k) };
    await rotateMasterKey(db.pool, racing);
    expect(await wrappedOf(subject)).toBeNull();
  });

  it('runs as `npm run audit -- rotate-master-key`, and refuses to run without the old key', async () => {
    const vault = new PersonalDataVault(db.pool, newKey);
    const subject = randomUUID();
    const sealed = await vault.seal(subject, data, paths);
    const newest = randomBytes(32);
    const cli = path.resolve(__dirname, '../../../../scripts/audit.cjs');
    const refused = runScript(cli, { DATABASE_URL: db.url, PERSONAL_DATA_MASTER_KEY: newest.toString('base64') }, ['rotate-master-key']);
    expect((await refused.exit).code).toBe(2);
    expect(refused.output()).toMatch(/PERSONAL_DATA_ACCEPTED_MASTER_KEYS/);

    const rotated = runScript(cli, { DATABASE_URL: db.url, PERSONAL_DATA_MASTER_KEY: newest.toString('base64'),
      PERSONAL_DATA_ACCEPTED_MASTER_KEYS: `${oldKey.toString('base64')},${newKey.toString('base64')}` }, ['rotate-master-key', '--batch-size', '50']);
    expect((await rotated.exit).code).toBe(0);
    expect(JSON.parse(rotated.output().split('\n').find((line) => line.startsWith('{'))!)).toMatchObject({ rotated: true, rewrapped: expect.any(Number) });
    expect((await new PersonalDataVault(db.pool, newest).open(subject, sealed, paths)).data).toEqual(data);
  });
});
