// First: OpenTelemetry patches http and pg only if it starts before they load.
import '@crm/platform/tracing';
import { runService } from '@crm/platform';
import { CreditModule } from './credit.module';

void runService('credit', 3002, (config) => CreditModule.register(config));
