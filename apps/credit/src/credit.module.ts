import { Module } from '@nestjs/common';
import { PlatformModule, ServiceConfig } from '@crm/platform';

/** Boots with the platform (health, metrics, event store, relay); its features come with its issue. */
@Module({})
export class CreditModule {
  static register(config: ServiceConfig) {
    return { module: CreditModule, imports: [PlatformModule.forService({ config })] };
  }
}
