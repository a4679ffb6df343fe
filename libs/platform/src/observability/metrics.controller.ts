import { Controller, Get, Header, OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, register } from 'prom-client';
import { OpsEndpoint } from '../auth/auth.decorators';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  /**
   * Process metrics too (CPU, memory, event-loop lag, GC), under prom-client's standard names
   * without a prefix (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`), so stock
   * Node.js dashboards and alerts work unchanged; the service's own metrics carry `crm_`.
   * Labels are route templates, event types and topics: never an id, a name or a secret.
   */
  onModuleInit(): void {
    if (!register.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics();
  }

  @OpsEndpoint('metrics')
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
