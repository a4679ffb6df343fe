import { Body, Controller, Get, Headers, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags, ApiHeader } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, IsCurrencyCode, Roles, Answers, RuleChangeDto } from '@crm/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNumber, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { ClassificationPolicies } from './classification-policies';
import { ClassificationPolicyAnswerDto } from '../answers/customer-answers.dto';

export class RateDto {
  @ApiProperty({ example: 'USD' }) @IsCurrencyCode() currency: string;
  @ApiProperty({ example: 7.1, description: 'Reporting-currency minor units per minor unit of this currency' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.000001) @Max(1_000_000) rate: number;
}

export class RetentionDto {
  @ApiProperty({ example: 0.8 }) @IsNumber() @Min(0) @Max(1) base: number;
  @ApiProperty({ example: 0.3 }) @IsNumber() @Min(0) @Max(1) atRisk: number;
}

export class ClassificationPolicyDto {
  @ApiProperty({ example: 'CNY' }) @IsCurrencyCode() reportingCurrency: string;
  @ApiProperty({ type: [RateDto] }) @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => RateDto) rates: RateDto[];
  @ApiProperty({ type: RetentionDto }) @IsObject() @ValidateNested() @Type(() => RetentionDto) retention: RetentionDto;
}

/** The classification rules, versioned: ABC and CLV rank in the reporting currency with these rates. */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers/policy')
export class ClassificationPolicyController {
  constructor(private readonly policies: ClassificationPolicies, private readonly clock: BusinessClock) {}

  @Answers(ClassificationPolicyAnswerDto, { summary: 'The classification policy in force (reporting currency, rates, retention)' })
  @Get()
  @Roles('sales', 'account_manager', 'credit_manager', 'auditor')
  async get() {
    const policy = await this.policies.current();
    return { ...policy, rates: Object.entries(policy.rates).map(([currency, rate]) => ({ currency, rate })) };
  }

  @Answers(RuleChangeDto, { summary: 'Change the classification policy: a new version when the rules differ' })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retry with the same key gets the first answer; another request under it is a 422' })
  @Put()
  @Roles('account_manager')
  set(@Body() body: ClassificationPolicyDto, @Req() request: any, @Headers('idempotency-key') idempotencyKey?: string) {
    return this.policies.set({ ...body, rates: body.rates.map((r) => ({ currency: r.currency, rate: r.rate })), retention: { base: body.retention.base, atRisk: body.retention.atRisk },
      changedBy: request.actor.id }, { metadata: eventMetadata(request, 'SetClassificationPolicy'), now: this.clock.now().now, idempotencyKey });
  }
}
