import { Module } from '@nestjs/common';
import { PlatformModule, ServiceConfig } from '@crm/platform';
import { AccountCommandsService } from './account/account-commands.service';
import { CollectionQueriesService } from './collection/collection-queries.service';
import { CollectionController } from './collection/collection.controller';
import { ReportsController } from './collection/reports.controller';
import { InvoiceActionsController } from './invoices/invoice-actions.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { ReceivablesLookups1764100000000 } from './migrations/1764100000000-receivables-lookups';
import { CloseDayController } from './operations/close-day.controller';
import { PaymentsController } from './payments/payments.controller';
import { creditPositionsProjection, knownCustomersProjection, receivableInvoicesProjection } from './read-models/receivables-projections';
import { WriteOffsController } from './write-offs/write-offs.controller';

/** Invoices, payments, collection and the read models the product is judged by (port 3003). */
@Module({})
export class ReceivablesModule {
  static register(config: ServiceConfig) {
    const prefix = config.kafkaTopicPrefix;
    return {
      module: ReceivablesModule,
      imports: [PlatformModule.forService({
        config,
        migrations: [ReceivablesLookups1764100000000],
        projections: [knownCustomersProjection(prefix), creditPositionsProjection(prefix), receivableInvoicesProjection(prefix)],
      })],
      controllers: [InvoicesController, InvoiceActionsController, PaymentsController, WriteOffsController, CloseDayController,
        CollectionController, ReportsController],
      providers: [AccountCommandsService, CollectionQueriesService],
    };
  }
}
