// First: OpenTelemetry patches http and pg only if it starts before they load.
import '@crm/platform/tracing';
import { runService } from '@crm/platform';
import { EngagementModule } from './engagement.module';

void runService('engagement', 3004, (config) => EngagementModule.register(config));
