import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule, ServiceConfig } from '@crm/platform';
import { GetCustomerController } from './get-customer/get-customer.controller';
import { RegisterCustomerController } from './register-customer/register-customer.controller';
import { RegisterCustomerHandler } from './register-customer/register-customer.handler';

@Module({})
export class CustomersModule {
  static register(config: ServiceConfig) {
    return {
      module: CustomersModule,
      imports: [CqrsModule.forRoot(), PlatformModule.forService({ config })],
      controllers: [RegisterCustomerController, GetCustomerController],
      providers: [RegisterCustomerHandler],
    };
  }
}
