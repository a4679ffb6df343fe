import { Body, Controller, Get, Headers, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { BusinessClock, eventMetadata, Roles, Answers } from '@crm/platform';
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
@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('v1/contact-plan/policy')
export class ContactPlanPolicyController {
  constructor(private readonly policies: ContactPlanPolicies, private readonly clock: BusinessClock) {}

  @Answers(CONTACT_PLAN_POLICY, { summary: 'The contact plan in force: contact cadence per ABC class, notice and retention due days' })
  @Get()
  @Roles(...ENGAGEMENT_READERS)
  current() {
    return this.policies.current();
  }

  @Answers(RULES_CHANGED, { summary: 'Change the contact plan: a new version when the rules differ' })
  @Put()
  @Roles('admin')
  @ApiHeader({ name: 'idempotency-key', required: false })
  change(@Body() body: ContactPlanPolicyDto, @Req() request: any, @Headers('idempotency-key') key?: string) {
    const { now } = this.clock.now();
    const { A, B, C } = body.cadenceDays;
    return this.policies.change({ cadenceDays: { A, B, C }, noticeDays: body.noticeDays, retentionDueInDays: body.retentionDueInDays }, {
      metadata: eventMetadata(request, 'ChangeContactPlanPolicy'), now, idempotencyKey: key, request: body,
    });
  }
}
