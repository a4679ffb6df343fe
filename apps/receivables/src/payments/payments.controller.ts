import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, UuidParam } from '@crm/platform';
import { AccountCommands } from '../account/account-commands';
import { CustomerFacts } from '../read-models/customer-facts';
import { ReceivePaymentDto, ReversePaymentDto } from './payments.dto';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('v1/payments')
export class PaymentsController {
  constructor(private readonly accounts: AccountCommands, private readonly facts: CustomerFacts, private readonly clock: BusinessClock) {}

  @Post()
  @Roles('collector', 'credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async receive(@Body() body: ReceivePaymentDto, @Req() request: any, @Headers('idempotency-key') idempotencyKey?: string) {
    const paymentId = randomUUID();
    const context = { customerKnown: await this.facts.isKnown(body.customerId) };
    return this.accounts.execute(body.customerId, {
      type: 'ReceivePayment',
      data: { paymentId, customerId: body.customerId, amount: body.amount, currency: body.currency, receivedOn: body.receivedOn,
        method: body.method, reference: body.reference, allocations: body.allocations?.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })), lateEntryReason: body.lateEntryReason },
      context,
    }, {
      metadata: eventMetadata(request, 'ReceivePayment'), now: this.clock.now().now, idempotencyKey, request: body,
      respond: ([received]) => {
        if (received.type !== 'PaymentReceived') throw new Error(`ReceivePayment recorded ${received.type}`);
        const d = received.data;
        return { id: d.paymentId, amount: d.amount, currency: d.currency, allocations: d.allocations, unapplied: d.unapplied, ...(d.lateEntry ? { lateEntry: d.lateEntry } : {}) };
      },
    });
  }

  @Post(':id/reverse')
  @HttpCode(200)
  @Roles('collector', 'credit_manager')
  async reverse(@UuidParam('id') id: string, @Body() body: ReversePaymentDto, @Req() request: any) {
    const customerId = await this.accounts.ownerOf('payment', id);
    const { now, today } = this.clock.now();
    return this.accounts.execute(customerId, { type: 'ReversePayment', data: { paymentId: id, reversedOn: body.reversedOn, today, lateEntryReason: body.lateEntryReason } }, {
      metadata: eventMetadata(request, 'ReversePayment'), now,
      respond: ([reversed]) => {
        if (reversed.type !== 'PaymentReversed') throw new Error(`ReversePayment recorded ${reversed.type}`);
        return { id, reversed: true, reversedOn: reversed.data.reversedOn, allocations: reversed.data.allocations, ...(reversed.data.lateEntry ? { lateEntry: reversed.data.lateEntry } : {}) };
      },
    });
  }
}
