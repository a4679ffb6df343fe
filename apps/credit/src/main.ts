import { runService } from '@crm/platform';
import { CreditModule } from './credit.module';

void runService('credit', 3002, (config) => CreditModule.register(config));
