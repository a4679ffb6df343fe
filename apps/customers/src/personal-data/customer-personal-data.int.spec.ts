import { randomBytes, randomUUID } from 'node:crypto';
import { installEventing, PersonalDataVault } from '@crm/eventing';
import { freshDatabase, TestDatabase } from '@crm/testing';
import { openEvents, sealEvents } from './customer-personal-data';

describe('customer personal data in events (real PostgreSQL)', () => {
  let db: TestDatabase;
  let vault: PersonalDataVault;
  beforeAll(async () => {
    db = await freshDatabase({ install: installEventing });
    vault = new PersonalDataVault(db.pool, randomBytes(32));
  });
  afterAll(() => db.drop());

  const registered = (customerId: string) => ({ type: 'CustomerRegistered', schemaVersion: 1, data: {
    customerId, kind: 'company', legalName: 'Acme', tags: [], contacts: [{ name: 'Li Wei', role: 'CFO', email: 'li@acme.cn' }] } });

  it('seals exactly the contract\'s personal fields and opens them again', async () => {
    const id = randomUUID();
    const [sealed] = await sealEvents(vault, id, [registered(id)]);
    expect(sealed.data.contacts[0]).toMatchObject({ role: 'CFO', name: expect.stringMatching(/^sealed:v1:/), email: expect.stringMatching(/^sealed:v1:/) });
    expect(sealed.data.legalName).toBe('Acme');
    expect((await openEvents(vault, id, [sealed]))[0]).toEqual(registered(id));
  });

  it('finishes an erasure whose key destruction was lost: the recorded erasure wins on the next read', async () => {
    const id = randomUUID();
    const [sealed] = await sealEvents(vault, id, [registered(id)]);
    // The erasure event is on record, but the process died before the key was destroyed.
    const erasure = { type: 'CustomerPersonalDataErased', schemaVersion: 1, data: { customerId: id, reason: 'DSR-1' } };
    const [opened] = await openEvents(vault, id, [sealed, erasure]);
    expect((opened.data as any).contacts[0]).toEqual({ name: '[erased]', role: 'CFO', email: '[erased]' });
    expect(await vault.isErased(id)).toBe(true);
  });
});
