import { Module } from '@nestjs/common';
import { PlatformModule, ServiceConfig } from '@crm/platform';
import { CustomerDirectoryController } from './customer-directory/customer-directory.controller';
import { customerDirectoryProjection } from './customer-directory/customer-directory.projection';

@Module({})
export class EngagementModule {
  static register(config: ServiceConfig) {
    return {
      module: EngagementModule,
      imports: [PlatformModule.forService({ config, projections: [customerDirectoryProjection(config.kafkaTopicPrefix)] })],
      controllers: [CustomerDirectoryController],
    };
  }
}
