import { runService } from '@crm/platform';
import { EngagementModule } from './engagement.module';

void runService('engagement', 3004, (config) => EngagementModule.register(config));
