import { Body, Controller, Get, Headers, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { BusinessClock, eventMetadata, Roles, Answers } from '@crm/platform';
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

/** The SLA hours in force; registered before the complaints controller so `policy` is not taken for a complaint id. */
@ApiTags('complaints')
@ApiBearerAuth()
@Controller('v1/complaints/policy')
export class ComplaintSlaPolicyController {
  constructor(private readonly policies: ComplaintSlaPolicies, private readonly clock: BusinessClock) {}

  @Answers(COMPLAINT_SLA_POLICY, { summary: 'The complaint SLA policy in force: acknowledge and resolve hours by customer class' })
  @Get()
  @Roles('sales', 'account_manager', 'auditor', 'admin')
  current() {
    return this.policies.current();
  }

  /** Records `ComplaintSlaPolicyChanged` with the next version; complaints raised later cite it, earlier ones keep theirs. */
  @Answers(COMPLAINT_SLA_POLICY_CHANGED, { summary: 'Change the complaint SLA policy: a new version when the hours differ' })
  @Put()
  @Roles('admin')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async change(@Body() body: ComplaintSlaPolicyDto, @Req() request: any, @Headers('idempotency-key') key?: string) {
    const { hoursByClass } = await this.policies.current();
    const next = { A: body.hoursByClass.A ?? hoursByClass.A, B: body.hoursByClass.B ?? hoursByClass.B, C: body.hoursByClass.C ?? hoursByClass.C };
    const plain = Object.fromEntries(Object.entries(next).map(([k, v]) => [k, { acknowledgeWithinHours: v.acknowledgeWithinHours, resolveWithinHours: v.resolveWithinHours }]));
    const { now, today } = this.clock.now();
    const { version, changed } = await this.policies.change(plain as typeof hoursByClass,
      { metadata: eventMetadata(request, 'ChangeComplaintSlaPolicy'), now, today, idempotencyKey: key, request: body });
    return { version, changed, hoursByClass: plain };
  }
}
