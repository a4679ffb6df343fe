import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ProjectionsService } from './projections.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly projections: ProjectionsService) {}

  /** Starts a rebuild from offset zero into shadow tables; queries keep answering meanwhile. */
  @Roles('admin')
  @Post(':name/rebuild')
  @HttpCode(202)
  rebuild(@Param('name') name: string) {
    return this.projections.runner(name).startRebuild();
  }

  @Roles('admin', 'auditor')
  @Get(':name/rebuild')
  progress(@Param('name') name: string) {
    return this.projections.runner(name).recordedProgress();
  }

  /** Re-applies parked (dead-lettered) events in order, after the fix is deployed. */
  @Roles('admin')
  @Post(':name/parked/replay')
  replay(@Param('name') name: string, @Query('key') key?: string) {
    return this.projections.runner(name).replayParked(key);
  }
}
