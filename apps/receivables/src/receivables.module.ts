import { Module } from '@nestjs/common';
import { PlatformModule, ServiceConfig } from '@crm/platform';
import { accountCommandHandler, AccountCommands } from './account/account-commands';
import { CollectionQueriesService } from './collection/collection-queries.service';
import { CollectionController } from './collection/collection.controller';
import { CreditBalanceController } from './credit-balance/credit-balance.controller';
import { ReportsController } from './collection/reports.controller';
import { InvoiceActionsController } from './invoices/invoice-actions.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { ReceivablesLookups1764100000000 } from './migrations/1764100000000-receivables-lookups';
import { ReceivablesDayClose1764400000000 } from './migrations/1764400000000-receivables-day-close';
import { ReceivablesInvoiceNumbers1764910000000 } from './migrations/1764910000000-receivables-invoice-numbers';
import { AccountDayClose } from './operations/account-day-close';
import { CustomerFacts } from './read-models/customer-facts';
import { PaymentsController } from './payments/payments.controller';
import { UnmatchedPayments } from './payments/unmatched-payments';
import {
  creditPositionsProjection, knownCustomersProjection, receivableInvoicesProjection, unappliedPaymentsProjection,
} from './read-models/receivables-projections';
import { dunningLadderWhatIf } from './what-if/dunning-ladder.what-if';
import { WriteOffsController } from './write-offs/write-offs.controller';
import { INVOICE_NUMBERING, invoiceNumbering } from './invoices/invoice-numbering.config';
import { AccountingPeriods, accountingPeriodsHandler } from './periods/accounting-periods';
import { ClosePeriodController } from './periods/close-period.controller';
import { SegmentPolicies } from './segment-policy/segment-policies';
import { SegmentPolicyController } from './segment-policy/segment-policy.controller';

/** Invoices, payments, collection and the read models the product is judged by (port 3003). */
@Module({})
export class ReceivablesModule {
  static register(config: ServiceConfig) {
    const prefix = config.kafkaTopicPrefix;
    // Read at start: a bad prefix or series stops the service rather than numbering invoices oddly.
    const numbering = invoiceNumbering(process.env);
    return {
      module: ReceivablesModule,
      imports: [PlatformModule.forService({
        config,
        migrations: [ReceivablesLookups1764100000000, ReceivablesDayClose1764400000000, ReceivablesInvoiceNumbers1764910000000],
        projections: [knownCustomersProjection(prefix), creditPositionsProjection(prefix), receivableInvoicesProjection(prefix),
          unappliedPaymentsProjection(prefix)],
        whatIf: [dunningLadderWhatIf],
        dayClose: { eventType: 'BusinessDayClosed', work: AccountDayClose, roles: ['credit_manager'], notAfterToday: true },
      })],
      controllers: [InvoicesController, InvoiceActionsController, PaymentsController, WriteOffsController,
        CollectionController, ReportsController, ClosePeriodController, CreditBalanceController, SegmentPolicyController],
      providers: [accountCommandHandler, AccountCommands, accountingPeriodsHandler, AccountingPeriods, { provide: INVOICE_NUMBERING, useValue: numbering }, AccountDayClose, CustomerFacts, CollectionQueriesService, UnmatchedPayments,
        SegmentPolicies],
    };
  }
}
