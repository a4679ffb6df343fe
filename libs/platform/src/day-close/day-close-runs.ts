import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '../eventing/tokens';
import { Pool } from 'pg';

export interface DayCloseRun {
  businessDate: string;
  status: 'running' | 'completed' | 'superseded';
  accountsDue: number;
  accountsDone: number;
  recorded: Record<string, number>;
  startedAt: string;
  completedAt: string | null;
}

/** Progress of each business date's close: operational state, not history (the events are). */
@Injectable()
export class DayCloseRuns {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** A redelivered start keeps the first run's counters: the accounts it closed are no longer due. */
  async start(businessDate: string, eventId: string, accountsDue: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO day_close_runs (business_date, event_id, status, accounts_due) VALUES ($1, $2, 'running', $3)
       ON CONFLICT (business_date) DO NOTHING`, [businessDate, eventId, accountsDue]);
  }

  async progress(businessDate: string, accountsDone: number, recorded: Record<string, number>): Promise<void> {
    await this.pool.query(
      `UPDATE day_close_runs SET accounts_done = accounts_done + $2,
              recorded = (SELECT coalesce(jsonb_object_agg(k, coalesce((recorded->>k)::int, 0) + coalesce((($3::jsonb)->>k)::int, 0)), '{}')
                            FROM (SELECT jsonb_object_keys(recorded || $3::jsonb) AS k) keys)
        WHERE business_date = $1`, [businessDate, accountsDone, JSON.stringify(recorded)]);
  }

  async finish(businessDate: string, status: 'completed' | 'superseded'): Promise<void> {
    await this.pool.query(
      // Completed means every account due was closed, also those a crash kept from the tally.
      `UPDATE day_close_runs SET status = $2, completed_at = now(), accounts_done = accounts_due
        WHERE business_date = $1 AND completed_at IS NULL`, [businessDate, status]);
  }

  async find(businessDate: string): Promise<DayCloseRun | undefined> {
    const { rows } = await this.pool.query(
      `SELECT business_date::text, status, accounts_due, accounts_done, recorded, started_at, completed_at FROM day_close_runs WHERE business_date = $1`,
      [businessDate]);
    const r = rows[0];
    return r && {
      businessDate: r.business_date, status: r.status, accountsDue: r.accounts_due, accountsDone: r.accounts_done, recorded: r.recorded,
      startedAt: new Date(r.started_at).toISOString(), completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
    };
  }
}
