import { runService } from '@crm/platform';
import { ReceivablesModule } from './receivables.module';

void runService('receivables', 3003, (config) => ReceivablesModule.register(config));
