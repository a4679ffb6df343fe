import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { versionedPolicyController } from '@crm/platform';
import { ComplaintSlaPolicies } from './complaint-sla-policies';
import { COMPLAINT_SLA_POLICY, COMPLAINT_SLA_POLICY_CHANGED } from '../answers/engagement-answers';

export class SlaHoursDto {
  @ApiProperty({ minimum: 1, maximum: 8760 }) @IsInt() acknowledgeWithinHours: number;
  @ApiProperty({ minimum: 1, maximum: 8760 }) @IsInt() resolveWithinHours: number;
}

export class SlaHoursByClassDto {
  @ApiPropertyOptional({ type: SlaHoursDto }) @IsOptional() @ValidateNested() @Type(() => SlaHoursDto) A?: SlaHoursDto;
  @ApiPropertyOptional({ type: SlaHoursDto }) @IsOptional() @ValidateNested() @Type(() => SlaHoursDto) B?: SlaHoursDto;
  @ApiPropertyOptional({ type: SlaHoursDto, description: 'also the hours of an unclassified customer' })
  @IsOptional() @ValidateNested() @Type(() => SlaHoursDto) C?: SlaHoursDto;
}

export class ComplaintSlaPolicyDto {
  @ApiProperty({ type: SlaHoursByClassDto, description: 'classes left out keep their hours' })
  @IsObject() @ValidateNested() @Type(() => SlaHoursByClassDto) hoursByClass: SlaHoursByClassDto;
}

/** The hours as plain data (a DTO's instance is not what the event records). */
const plain = ({ acknowledgeWithinHours, resolveWithinHours }: SlaHoursDto) => ({ acknowledgeWithinHours, resolveWithinHours });

/**
 * The SLA hours in force; registered before the complaints controller so `policy` is not taken for a complaint id.
 * A PUT records `ComplaintSlaPolicyChanged` with the next version; complaints raised later cite it, earlier ones keep theirs.
 */
export class ComplaintSlaPolicyController extends versionedPolicyController({
  path: 'v1/complaints/policy', tag: 'complaints', policies: ComplaintSlaPolicies,
  read: {
    answer: COMPLAINT_SLA_POLICY, roles: ['sales', 'account_manager', 'auditor', 'admin'],
    summary: 'The complaint SLA policy in force: acknowledge and resolve hours by customer class',
  },
  change: {
    answer: COMPLAINT_SLA_POLICY_CHANGED, roles: ['admin'], body: ComplaintSlaPolicyDto, echoRules: true,
    summary: 'Change the complaint SLA policy: a new version when the hours differ',
    rules: (body, { hoursByClass }) => ({
      hoursByClass: { A: plain(body.hoursByClass.A ?? hoursByClass.A), B: plain(body.hoursByClass.B ?? hoursByClass.B), C: plain(body.hoursByClass.C ?? hoursByClass.C) },
    }),
  },
}) {}
