// First: OpenTelemetry patches http and pg only if it starts before they load.
import '@crm/platform/tracing';
import { runService } from '@crm/platform';
import { ReceivablesModule } from './receivables.module';

void runService('receivables', 3003, (config) => ReceivablesModule.register(config));
