import { Controller, Get, Header, OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, register } from 'prom-client';
import { Public } from '../auth/auth.decorators';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  /** Process metrics too (CPU, memory, event-loop lag, GC): what a pod's dashboards start from. */
  onModuleInit(): void {
    if (!register.getSingleMetric('crm_process_cpu_seconds_total')) collectDefaultMetrics({ prefix: 'crm_' });
  }

  @Public()
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
