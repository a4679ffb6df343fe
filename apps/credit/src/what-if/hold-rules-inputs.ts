import { ClosedCreditDay, CreditCalendar, RecordedCreditPolicy } from '@crm/credit-domain';
import { ServiceConfig } from '@crm/platform';
import { Pool } from 'pg';
import { CREDIT_POLICY_STREAM } from '../policy/credit-policies';

/** Credit's own calendar (the day close's `CreditBusinessDayClosed`, one stream `<service>-business-days`). */
const CALENDAR_STREAM = 'credit-business-days';

/** What every customer's re-simulation reads besides its own streams: read once, small (a row per closed date and per policy version). */
export interface HoldRulesInputs {
  calendar: CreditCalendar;
  policies: RecordedCreditPolicy[];
  /** The service's business time zone: the hold policy dates an evaluation by the receivables event's day there. */
  timeZone: string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

export async function readHoldRulesInputs(pool: Pool, config: ServiceConfig): Promise<HoldRulesInputs> {
  const { rows: closes } = await pool.query(
    `SELECT event_id AS id, data->>'businessDate' AS date, occurred_at, recorded_at FROM events
      WHERE stream_id = $1 AND event_type = 'CreditBusinessDayClosed' ORDER BY stream_version`, [CALENDAR_STREAM]);
  const { rows: policies } = await pool.query(
    `SELECT data, recorded_at FROM events WHERE stream_id = $1 AND event_type = 'CreditPolicyChanged' ORDER BY stream_version`, [CREDIT_POLICY_STREAM]);
  return {
    calendar: new CreditCalendar(closes.map((r): ClosedCreditDay => ({
      eventId: r.id, businessDate: r.date, occurredAt: iso(r.occurred_at), recordedAt: iso(r.recorded_at),
    }))),
    policies: policies.map((r): RecordedCreditPolicy => ({ version: r.data.version, rules: r.data.policy, recordedAt: iso(r.recorded_at) })),
    timeZone: config.businessTimeZone,
  };
}
