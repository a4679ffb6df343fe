import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { docsGateMiddleware } from './auth/docs-gate.middleware';
import { TokenVerifier } from './auth/token-verifier';
import { ServiceConfig } from './config/service-config';
import { DrainState } from './health/drain-state';
import { HardenedExpressAdapter } from './http/http-server';
import { jsonBodyMiddleware } from './http/json-body';
import { ProblemJsonFilter } from './http/problem-json.filter';
import { withProblemResponses } from './http/problem-openapi';
import { securityHeadersMiddleware } from './http/security-headers';
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

/**
 * The same HTTP shell for every service: JSON logs, problem+json errors (431, 413 and 415
 * included), security headers, validation, Swagger UI behind the ops-endpoint rule.
 */
export async function createServiceApp(module: unknown, config: ServiceConfig): Promise<INestApplication> {
  const logger = createLogger(config.serviceName, config.logLevel);
  // Our own body reader (jsonBodyMiddleware) instead of Express's JSON and form parsers.
  const app = await NestFactory.create(module as any, new HardenedExpressAdapter(config.http),
    { logger: new PinoNestLogger(logger), bodyParser: false });
  // No framework banner in responses.
  app.getHttpAdapter().getInstance().disable?.('x-powered-by');
  app.use(securityHeadersMiddleware());
  app.use(requestContextMiddleware(logger));
  app.use(jsonBodyMiddleware(config.http.maxBodyBytes));
  app.use(docsGateMiddleware(config, app.get(TokenVerifier)));
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
