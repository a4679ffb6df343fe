// First: OpenTelemetry patches http and pg only if it starts before they load.
import '@crm/platform/tracing';
import { runService } from '@crm/platform';
import { CustomersModule } from './customers.module';

void runService('customers', 3001, (config) => CustomersModule.register(config));
