import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { PersonalDataVault, PostgresEventStore } from '@crm/eventing';
import { BusinessClock, EVENT_STORE, eventMetadata, Roles, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { CustomerCommands } from '../customer/customer-commands';

export class ErasePersonalDataDto {
  /** Stored and published in clear, and never erased: a reference, not the requester's name. */
  @ApiProperty({ example: 'DSR-2026-4711', description: 'Reference of the erasure request (ticket id); no personal data' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9#._:\/-]*$/, { message: 'reason must be a reference such as DSR-2026-4711 (letters, digits, # . _ : / -; no spaces)' })
  reason: string;
}

export class PersonalDataErasedDto {
  @ApiProperty() id: string;
  @ApiProperty() personalDataErased: boolean;
  @ApiProperty() version: number;
}

/**
 * Crypto-shredding: records `CustomerPersonalDataErased`, then destroys the customer's key.
 * Every event keeps its shape, amounts and hash; its personal fields read `[erased]` forever.
 */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class ErasePersonalDataController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly customers: CustomerCommands,
    private readonly vault: PersonalDataVault,
    private readonly clock: BusinessClock,
  ) {}

  @Post(':id/personal-data/erasure')
  @HttpCode(200)
  @Roles('admin')
  @Answers(PersonalDataErasedDto, { summary: 'Erase a customer\'s personal data by destroying its key (crypto-shredding)', problems: { 404: ['customer-not-found'] } })
  async erase(@UuidParam('id') id: string, @Body() body: ErasePersonalDataDto, @Req() request: PlatformRequest) {
    const version = await this.customers.execute(id, { type: 'EraseCustomerPersonalData', data: { customerId: id, reason: body.reason } }, {
      metadata: eventMetadata(request, 'EraseCustomerPersonalData'), now: this.clock.now().now, respond: (_events, v) => v,
    });
    // After the event, so the erasure is on record before anything is destroyed; a retry after
    // a crash in between finds the event (no second one) and destroys the key then.
    await this.vault.erase(id);
    // The registration's idempotency record hashes the request body, contacts included.
    await this.store.forgetIdempotentRequests('RegisterCustomer', { id });
    return { id, personalDataErased: true, version };
  }
}
