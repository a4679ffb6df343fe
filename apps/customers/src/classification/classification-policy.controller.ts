import { ApiProperty } from '@nestjs/swagger';
import { IsCurrencyCode, RuleChangeDto, versionedPolicyController } from '@crm/platform';
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
export class ClassificationPolicyController extends versionedPolicyController({
  path: 'v1/customers/policy', tag: 'customers', policies: ClassificationPolicies,
  // The operationIds published before this controller moved onto the platform's.
  handlerNames: { read: 'get', change: 'set' },
  read: {
    answer: ClassificationPolicyAnswerDto, roles: ['sales', 'account_manager', 'credit_manager', 'auditor'],
    summary: 'The classification policy in force (reporting currency, rates, retention)',
    view: (policy) => ({ ...policy, rates: Object.entries(policy.rates).map(([currency, rate]) => ({ currency, rate })) }),
  },
  change: {
    answer: RuleChangeDto, roles: ['account_manager'], body: ClassificationPolicyDto, echoRules: false, idempotencyBinding: 'command',
    idempotencyKey: 'A retry with the same key gets the first answer; another request under it is a 422',
    summary: 'Change the classification policy: a new version when the rules differ',
    rules: (body) => ({
      reportingCurrency: body.reportingCurrency,
      rates: body.rates.map((r) => ({ currency: r.currency, rate: r.rate })),
      retention: { base: body.retention.base, atRisk: body.retention.atRisk },
    }),
  },
}) {}
