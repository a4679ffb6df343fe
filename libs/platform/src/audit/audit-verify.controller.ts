import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { eventsTopic, ServiceName } from '@crm/contracts';
import { crossCheckAnchors, Transport, verifyStore } from '@crm/eventing';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { Pool } from 'pg';
import { Roles } from '../auth/auth.decorators';
import { PG_POOL, SERVICE_CONFIG, TRANSPORT } from '../eventing/tokens';
import { ServiceConfig } from '../config/service-config';
import { ValidationProblem } from '../http/validation';
import { Answers } from '../http/answers';
import { AuditVerificationDto } from '../http/platform-answers.dto';

export class AuditVerifyQueryDto {
  @ApiPropertyOptional({ description: 'Every stream of this customer (their partition key)', format: 'uuid' })
  @IsOptional() @IsUUID() customerId?: string;

  @ApiPropertyOptional({ description: 'One stream, e.g. account-<customerId> or a policy stream', example: 'chain-anchors' })
  @IsOptional() @IsString() @MaxLength(200) @Matches(/^[\x21-\x7e]+$/, { message: 'streamId must be visible ASCII characters' }) streamId?: string;
}

/**
 * Tamper evidence for auditors: recomputes the hash chains of one customer's streams (or one
 * stream) and checks each covered head against the latest chain anchor. The whole store is
 * verified by the audit CLI (`npm run audit -- verify --service <s>`), not per request.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditVerifyController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Roles('auditor', 'admin')
  @Answers(AuditVerificationDto, { summary: 'Verify the hash chains of one customer\'s streams (or one stream) and their latest anchor' })
  @Get('verify')
  async verify(@Query() query: AuditVerifyQueryDto) {
    if ((query.customerId === undefined) === (query.streamId === undefined)) {
      const message = 'give exactly one of customerId and streamId';
      throw new ValidationProblem([{ field: query.customerId === undefined ? 'customerId' : 'streamId', messages: [message] }]);
    }
    const scope = query.customerId ? { partitionKey: query.customerId.toLowerCase() } : { streamId: query.streamId! };
    const result = await verifyStore(this.pool, { scope });
    // The anchor the heads were checked against is believed only if its copy on the topic agrees.
    const kafka = await crossCheckAnchors(this.pool, this.transport, eventsTopic(this.config.serviceName as ServiceName, this.config.kafkaTopicPrefix));
    const findings = [...result.findings, ...kafka.findings];
    return {
      ...(query.customerId ? { customerId: query.customerId.toLowerCase() } : { streamId: query.streamId }),
      valid: result.valid && kafka.findings.length === 0, events: result.events, streams: result.streams, finding: findings[0] ?? null, findings,
      anchorsOnKafka: { topic: kafka.topic, published: kafka.published, checkedFrom: kafka.checkedFrom, unpublished: kafka.unpublished },
    };
  }
}
