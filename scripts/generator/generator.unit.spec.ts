import { Agenda, isBusinessDay, onBusinessDay } from './agenda';
import { parseOptions, UsageError } from './options';
import { customerProfile, lateness } from './population';
import { duration, progressLine } from './progress';
import { Random } from './random';

describe('the data generator, pure parts', () => {
  it('is deterministic by seed: the same seed and index give the same customer, another seed another one', () => {
    expect(customerProfile('7', 42)).toEqual(customerProfile('7', 42));
    expect(customerProfile('7', 42).customerId).not.toBe(customerProfile('8', 42).customerId);
    const ids = new Set(Array.from({ length: 2000 }, (_, i) => customerProfile('7', i).customerId));
    expect(ids.size).toBe(2000);
    const taxIds = Array.from({ length: 2000 }, (_, i) => customerProfile('7', i).registration.taxId).filter(Boolean);
    expect(new Set(taxIds).size).toBe(taxIds.length);
    expect(new Random('s').uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes a realistic mix: mostly companies, mostly punctual payers, a few defaulters who never pay some invoices', () => {
    const people = Array.from({ length: 5000 }, (_, i) => customerProfile('mix', i));
    const share = (test: (p: typeof people[number]) => boolean) => people.filter(test).length / people.length;
    expect(share((p) => p.registration.kind === 'company')).toBeGreaterThan(0.8);
    expect(share((p) => p.registration.kind === 'company')).toBeLessThan(0.9);
    expect(share((p) => p.payer === 'punctual')).toBeGreaterThan(0.5);
    expect(share((p) => p.payer === 'defaulter')).toBeGreaterThan(0.03);
    expect(share((p) => p.payer === 'defaulter')).toBeLessThan(0.07);
    const random = new Random('late');
    const punctual = Array.from({ length: 500 }, () => lateness('punctual', random));
    expect(Math.max(...punctual)).toBeLessThanOrEqual(0);
    const defaulter = Array.from({ length: 500 }, () => lateness('defaulter', random));
    expect(defaulter.some((d) => !Number.isFinite(d))).toBe(true);
    for (const p of people.slice(0, 200)) for (const c of p.registration.contacts) if (c.phone) expect(c.phone.replace(/[ ]/g, '')).toMatch(/^\+[1-9]\d{6,14}$/);
  });

  it('plans on business days only and drops what falls after the end', () => {
    expect(isBusinessDay('2026-03-06')).toBe(true); // Friday
    expect(isBusinessDay('2026-03-07')).toBe(false);
    expect(onBusinessDay('2026-03-07')).toBe('2026-03-09');
    const agenda = new Agenda('2026-03-10');
    expect(agenda.add('2026-03-08', { kind: 'invoice', customer: 1 })).toBe(true);
    expect(agenda.add('2026-03-09', { kind: 'register', customer: 2 })).toBe(true);
    expect(agenda.add('2026-03-11', { kind: 'invoice', customer: 3 })).toBe(false);
    expect(agenda.size).toBe(2);
    expect(agenda.take('2026-03-09').map((a) => a.customer)).toEqual([1, 2]);
    expect(agenda.size).toBe(0);
  });

  it('reads presets and options, and names a bad one', () => {
    const demo = parseOptions(['--preset', 'demo'], {}, '2026-12-01');
    expect(demo).toMatchObject({ customers: 1000, days: 365, start: '2025-12-01', seed: '1' });
    expect(demo.databases.receivables).toBe('postgres://postgres@127.0.0.1:5432/crm_receivables');
    expect(parseOptions(['--preset=scale'], {}, '2026-12-01').customers).toBe(1_000_000);
    expect(parseOptions(['--customers', '50', '--years', '2', '--seed', 'x'], { DATABASE_URL: 'postgres://u@db:5433/postgres' }, '2026-12-01'))
      .toMatchObject({ customers: 50, days: 730, seed: 'x', databases: { customers: 'postgres://u@db:5433/crm_customers' } });
    expect(parseOptions([], { ENGAGEMENT_DATABASE_URL: 'postgres://e/x' }).databases.engagement).toBe('postgres://e/x');
    expect(() => parseOptions(['--customers', '0'])).toThrow(/--customers must be an integer ≥ 1/);
    expect(() => parseOptions(['--preset', 'huge'])).toThrow(/--preset must be one of demo, scale/);
    expect(() => parseOptions(['--start', '2026-02-30'])).toThrow(/--start must be a date/);
    expect(() => parseOptions(['--colour'])).toThrow(UsageError);
  });

  it('draws a progress line with count, rate and ETA', () => {
    expect(progressLine({ fraction: 0.25, label: '2026-04-01', commands: 1200, events: 3000, elapsedMs: 10_000 }))
      .toBe('[######------------------]  25% 2026-04-01  1,200 commands 3,000 events  300 events/s  ETA 30s');
    expect(progressLine({ fraction: 1, label: 'done', commands: 5, events: 5, elapsedMs: 1000 })).toMatch(/100% done .* ETA 0s$/);
    expect(duration(185_000)).toBe('3m05s');
    expect(duration(4_500_000)).toBe('1h15m');
  });
});
