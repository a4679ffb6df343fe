import { invoiceNumbering } from './invoice-numbering.config';

describe('invoice numbering configuration', () => {
  it('defaults to INV with a series per issue year', () => expect(invoiceNumbering({})).toEqual({ prefix: 'INV', series: 'yearly' }));

  it('takes a prefix and a single series, and refuses values that would number invoices oddly', () => {
    expect(invoiceNumbering({ INVOICE_NUMBER_PREFIX: 'RE', INVOICE_NUMBER_SERIES: 'single' })).toEqual({ prefix: 'RE', series: 'single' });
    expect(() => invoiceNumbering({ INVOICE_NUMBER_PREFIX: 'inv-' })).toThrow(/INVOICE_NUMBER_PREFIX/);
    expect(() => invoiceNumbering({ INVOICE_NUMBER_SERIES: 'monthly' })).toThrow(/INVOICE_NUMBER_SERIES/);
  });
});
