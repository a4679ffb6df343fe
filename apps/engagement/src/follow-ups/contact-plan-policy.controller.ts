import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { versionedPolicyController } from '@crm/platform';
import { ContactPlanPolicies } from './contact-plan-policies';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { CONTACT_PLAN_POLICY, RULES_CHANGED } from '../answers/engagement-answers';

export class CadenceDaysDto {
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(3660) A: number;
  @ApiProperty({ example: 90 }) @IsInt() @Min(1) @Max(3660) B: number;
  @ApiProperty({ example: 180 }) @IsInt() @Min(1) @Max(3660) C: number;
}

export class ContactPlanPolicyDto {
  @ApiProperty({ type: CadenceDaysDto }) @IsObject() @ValidateNested() @Type(() => CadenceDaysDto) cadenceDays: CadenceDaysDto;
  @ApiProperty({ example: 7 }) @IsInt() @Min(0) @Max(365) noticeDays: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(0) @Max(365) retentionDueInDays: number;
}

/** The contact plan's rules: each PUT a new version, applied to each customer from its next plan change. */
export class ContactPlanPolicyController extends versionedPolicyController({
  path: 'v1/contact-plan/policy', tag: 'follow-ups', policies: ContactPlanPolicies,
  read: { answer: CONTACT_PLAN_POLICY, roles: ENGAGEMENT_READERS, summary: 'The contact plan in force: contact cadence per ABC class, notice and retention due days' },
  change: {
    answer: RULES_CHANGED, roles: ['admin'], body: ContactPlanPolicyDto, echoRules: false,
    summary: 'Change the contact plan: a new version when the rules differ',
    rules: ({ cadenceDays: { A, B, C }, noticeDays, retentionDueInDays }) => ({ cadenceDays: { A, B, C }, noticeDays, retentionDueInDays }),
  },
}) {}
