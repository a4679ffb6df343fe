import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { abcSegments, CustomerRevenue, toReporting, trailing12Months } from '@crm/customers-domain';
import { BusinessClock, IsBusinessDate, PG_POOL, Roles, Answers } from '@crm/platform';
import { Pool } from 'pg';
import { ClassificationPolicies } from './classification-policies';
import { AbcSegmentsDto } from '../answers/customer-answers.dto';

export class SegmentsQueryDto {
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Business date the trailing 12 months end on (default today)' })
  @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsBusinessDate() asOf?: string;
}

/** Segments by ABC class: the class as recorded by the last day close, revenue over the trailing 12 months to `asOf`. */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/segments')
export class SegmentsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly clock: BusinessClock, private readonly policies: ClassificationPolicies) {}

  @Answers(AbcSegmentsDto, { summary: 'Customers and trailing-12-month revenue per ABC class' })
  @Get('abc')
  @Roles('sales', 'account_manager', 'credit_manager', 'auditor')
  async abc(@Query() { asOf }: SegmentsQueryDto) {
    const on = asOf ?? this.clock.now().today;
    const policy = await this.policies.current();
    const { rows } = await this.pool.query(
      `SELECT d.doc->>'abcClass' AS abc, r.doc AS revenue FROM customers_directory d LEFT JOIN customer_revenue r ON r.id = d.id`);
    const entries = rows.map((row) => {
      const invoices = ((row.revenue as CustomerRevenue | null)?.invoices ?? [])
        .filter((i) => i.currency === policy.reportingCurrency || policy.rates[i.currency] !== undefined)
        .map((i) => ({ on: i.on, amount: toReporting(i.amount, i.currency, policy) }));
      return { abcClass: row.abc, revenue: trailing12Months(invoices, on) };
    });
    return { asOf: on, reportingCurrency: policy.reportingCurrency, segments: abcSegments(entries) };
  }
}
