import { runService } from '@crm/platform';
import { CustomersModule } from './customers.module';

void runService('customers', 3001, (config) => CustomersModule.register(config));
