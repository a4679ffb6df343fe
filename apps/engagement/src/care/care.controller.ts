import { Body, Controller, Get, Headers, Inject, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CareTaskDoc } from '@crm/engagement-domain';
import { BusinessClock, eventMetadata, PG_POOL, Roles, ValidationProblem, Answers, PlatformRequest } from '@crm/platform';
import { Pool } from 'pg';
import { DATE_KEY, decodeCursor, encodeCursor } from '../follow-ups/keyset-cursor';
import { CareStreams } from './care-streams';
import { CareCalendarQueryDto, ConfigureCareHolidaysDto } from './care.dto';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { CARE_CALENDAR, CARE_HOLIDAYS, RULES_CHANGED } from '../answers/engagement-answers';

/** The care calendar (greeting tasks by date) and the holidays that make tasks on engagement's day close. */
@ApiTags('care')
@ApiBearerAuth()
@Controller('v1')
export class CareController {
  constructor(private readonly streams: CareStreams, private readonly clock: BusinessClock, @Inject(PG_POOL) private readonly pool: Pool) {}

  @Answers(CARE_HOLIDAYS, { summary: 'The holidays configured for care greetings' })
  @Get('care/holidays')
  @Roles(...ENGAGEMENT_READERS)
  holidays() {
    return this.streams.holidays();
  }

  /** A new version of the whole list (admin only: it decides greetings to every consenting customer); the same list again records nothing. */
  @Answers(RULES_CHANGED, { summary: 'Configure the care holidays: a new version when they differ' })
  @Put('care/holidays')
  @Roles('admin')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async configure(@Body() body: ConfigureCareHolidaysDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const { now } = this.clock.now();
    return this.streams.configure(body.holidays.map((h) => ({ name: h.name, dates: h.dates })), {
      metadata: eventMetadata(request, 'ConfigureCareHolidays'), now, idempotencyKey: key, request: body,
    });
  }

  /** Tasks dated `from`..`to` (inclusive), by (date, id) keyset pages. */
  @Answers(CARE_CALENDAR, { summary: 'Care dates due (birthdays, holidays, anniversaries), in keyset pages' })
  @Get('care-calendar')
  @Roles(...ENGAGEMENT_READERS)
  async calendar(@Query() q: CareCalendarQueryDto) {
    if (q.to < q.from) throw new ValidationProblem([{ field: 'to', messages: ['to must not be before from'] }]);
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, DATE_KEY);
    const { rows } = await this.pool.query(
      `SELECT doc FROM engagement_care_tasks WHERE on_date >= $1 AND on_date <= $2 AND ($3::text IS NULL OR (on_date, id) > ($3, $4))
        ORDER BY on_date, id LIMIT $5`, [q.from, q.to, after?.[0] ?? null, after?.[1] ?? null, limit + 1]);
    const items: CareTaskDoc[] = rows.slice(0, limit).map((r) => r.doc);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor([last.on, last.id]) : null };
  }
}
