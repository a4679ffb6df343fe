import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Roles } from '../auth/auth.decorators';
import { Answers } from '../http/answers';
import { ParkedReplayDto, ParkedSkipDto, RebuildProgressDto } from '../http/platform-answers.dto';
import { ProjectionsService } from './projections.service';

export class SkipParkedDto {
  @ApiProperty({ example: 'INC-2041: amount sent in cents twice; corrected by a credit note' })
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly projections: ProjectionsService) {}

  /** Starts a rebuild from offset zero into shadow tables; queries keep answering meanwhile. */
  @Roles('admin')
  @Post(':name/rebuild')
  @HttpCode(202)
  @Answers(RebuildProgressDto, { status: 202, summary: 'Start rebuilding a read model from offset zero into shadow tables', problems: { 404: ['not-found'], 409: ['rebuild-running-elsewhere'] } })
  rebuild(@Param('name') name: string) {
    return this.projections.runner(name).startRebuild();
  }

  @Roles('admin', 'auditor')
  @Get(':name/rebuild')
  @Answers(RebuildProgressDto, { summary: 'Progress of a read model\'s rebuild', problems: { 404: ['not-found'] } })
  progress(@Param('name') name: string) {
    return this.projections.runner(name).recordedProgress();
  }

  /** Re-applies parked (dead-lettered) events in order, after the fix is deployed. */
  @Roles('admin')
  @Post(':name/parked/replay')
  @Answers(ParkedReplayDto, { status: 201, summary: 'Re-apply the parked (dead-lettered) events of a read model, in order', problems: { 404: ['not-found'] } })
  replay(@Param('name') name: string, @Query('key') key?: string) {
    return this.projections.runner(name).replayParked(key);
  }

  /** Gives up on one parked event for good (the event is wrong, not the code); its key flows again. */
  @Roles('admin')
  @Post(':name/parked/:eventId/skip')
  @HttpCode(200)
  @Answers(ParkedSkipDto, { summary: 'Give up on one parked event for good; its key flows again', problems: { 404: ['not-found'] } })
  async skip(@Param('name') name: string, @Param('eventId', new ParseUUIDPipe()) eventId: string, @Body() body: SkipParkedDto) {
    const result = await this.projections.runner(name).skipParked(eventId, body.reason);
    if (!result.skipped) throw new NotFoundException(`no open parked event ${eventId} in ${name}`);
    return result;
  }
}
