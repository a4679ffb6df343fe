import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { publishedContracts } from '@crm/contracts';

const document = readFileSync(path.join(__dirname, '../docs/api/asyncapi.json'), 'utf8');

describe('the event catalogue (docs/api/asyncapi.json)', () => {
  it('is a valid AsyncAPI 3 document (@asyncapi/parser: no error diagnostics)', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(document);
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(parsed?.version()).toBe('3.0.0');
  });

  it('lists every published event version, on its service\'s topic, with its personal-data marks', () => {
    const catalogue = JSON.parse(document);
    expect(Object.keys(catalogue.components.messages).sort()).toEqual(publishedContracts.map((c) => `${c.type}.v${c.version}`).sort());
    expect(Object.keys(catalogue.channels.receivablesEvents.messages)).toContain('InvoiceIssued.v1');
    expect(catalogue.channels.receivablesEvents.address).toBe('crm.receivables.events');
    expect(JSON.stringify(catalogue.components.messages['ContactAdded.v1'].payload)).toContain('"x-personal-data":true');
    expect(catalogue.components.messages['InvoiceIssued.v1'].bindings.kafka.key.type).toBe('string');
  });

  it('refuses a broken document (the check can fail)', async () => {
    const broken = JSON.parse(document);
    broken.operations.publishReceivablesEvents.channel = { $ref: '#/channels/nowhere' };
    const { diagnostics } = await new Parser().parse(JSON.stringify(broken));
    expect(diagnostics.filter((d) => d.severity === 0).length).toBeGreaterThan(0);
  });
});
