import { NestExpressApplication } from '@nestjs/platform-express';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ServiceConfig } from './config/service-config';
import { DrainState } from './health/drain-state';
import { ProblemJsonFilter } from './http/problem-json.filter';
import { withProblemResponses } from './http/problem-openapi';
import { createValidationPipe } from './http/validation';
import { createLogger, PinoNestLogger } from './observability/logger';
import { requestContextMiddleware } from './observability/request-context.middleware';

export function openApiDocument(app: INestApplication, config: Pick<ServiceConfig, 'serviceName'>): OpenAPIObject {
  return withProblemResponses(SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle(`crm ${config.serviceName} service`).setVersion('1').addBearerAuth()
    .setDescription(`The ${config.serviceName} service of the event-sourced CRM & receivables backend. Errors are RFC 9457 problem+json; a problem's \`type\` ends in a stable code.`)
    // Private software (package.json: UNLICENSED); the server is whichever origin serves this document.
    .setLicense('UNLICENSED', 'https://crm.example/license').addServer('/', 'the origin serving this document')
    .build()));
}

/** The same HTTP shell for every service: JSON logs, problem+json errors, validation, Swagger UI. */
export async function createServiceApp(module: unknown, config: ServiceConfig): Promise<INestApplication> {
  const logger = createLogger(config.serviceName, config.logLevel);
  const app = await NestFactory.create(module as any, { logger: new PinoNestLogger(logger) });
  // No framework banner in responses.
  app.getHttpAdapter().getInstance().disable?.('x-powered-by');
  app.use(requestContextMiddleware(logger));
  // JSON merge patches (RFC 7396) are JSON: PATCH bodies sent as application/merge-patch+json.
  (app as NestExpressApplication).useBodyParser('json', { type: ['application/json', 'application/merge-patch+json'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemJsonFilter(logger));
  app.enableShutdownHooks();
  const drain = app.get(DrainState);
  app.use((_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (drain.draining) response.setHeader('Connection', 'close');
    next();
  });
  SwaggerModule.setup('docs', app, () => openApiDocument(app, config));
  return app;
}
