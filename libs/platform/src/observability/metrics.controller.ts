import { Controller, Get, Header, OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, register } from 'prom-client';
import { Public } from '../auth/auth.decorators';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  /**
   * Process metrics too (CPU, memory, event-loop lag, GC), under prom-client's standard names
   * without a prefix (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`), so stock
   * Node.js dashboards and alerts work unchanged; the service's own metrics carry `crm_`.
   */
  onModuleInit(): void {
    if (!register.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics();
  }

  @Public()
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
