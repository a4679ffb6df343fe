import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What the platform's own endpoints (health, projection admin) answer with. */
export class HealthStatusDto {
  @ApiProperty({ example: 'ok' }) status: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ enum: ['up'] }) database: string;
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok' }) status: string;
  @ApiProperty({ type: ReadinessChecksDto }) checks: ReadinessChecksDto;
}

export class RelayStateDto {
  @ApiProperty({ enum: ['stopped', 'standby', 'publishing', 'stalled'] }) state: string;
  @ApiProperty() stalled: boolean;
  @ApiProperty({ description: 'since the last published batch or caught-up read; 0 when stopped or standing by' }) secondsWithoutProgress: number;
  @ApiProperty() stallAfterSeconds: number;
}

export class RelayHealthDto {
  @ApiProperty({ enum: ['ok', 'stalled'] }) status: string;
  @ApiProperty({ type: RelayStateDto }) relay: RelayStateDto;
}

export class RebuildProgressDto {
  @ApiProperty({ example: 'customer-directory' }) projection: string;
  @ApiProperty({ enum: ['idle', 'running', 'completed'] }) status: string;
  @ApiProperty() processed: number;
  @ApiProperty() total: number;
  @ApiProperty() percent: number;
  @ApiProperty() eventsPerSecond: number;
  @ApiProperty({ type: Number, nullable: true }) etaSeconds: number | null;
}

export class ParkedReplayDto {
  @ApiProperty({ description: 'parked events applied now' }) replayed: number;
  @ApiProperty({ description: 'parked events still failing' }) stillParked: number;
}

export class ParkedSkipDto extends ParkedReplayDto {
  @ApiProperty() skipped: boolean;
}

/** A rule-set change (PUT …/policy): the version in force after it; an identical rule set records nothing. */
export class RuleChangeDto {
  @ApiProperty({ description: 'the policy version in force after this request' }) version: number;
  @ApiProperty({ description: 'false when the rules sent equal those in force (no new version)' }) changed: boolean;
}

/** Money as integer minor units with its currency. */
export class MoneyDto {
  @ApiProperty({ example: 125000, description: 'integer minor units' }) amount: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
}

/** The hash-chain check of one stream (libs/eventing verifyStream). */
export class StreamVerificationDto {
  @ApiProperty() streamId: string;
  @ApiProperty({ description: 'events checked' }) events: number;
  @ApiProperty({ description: 'false when an event no longer matches its hash' }) valid: boolean;
  @ApiPropertyOptional({ description: 'the first version whose hash does not match' }) firstAlteredVersion?: number;
}

export class ChainFindingDto {
  @ApiProperty({ enum: ['altered', 'removed', 'inserted'], description: 'what is wrong with the chain at this event' }) kind: string;
  @ApiProperty() streamId: string;
  @ApiProperty() streamVersion: number;
  @ApiPropertyOptional() eventId?: string;
  @ApiPropertyOptional() globalPosition?: string;
  @ApiProperty() detail: string;
}

/** The stored chain anchors checked against their copies on the service's topic. */
export class AnchorsOnKafkaDto {
  @ApiProperty({ example: 'crm.receivables.events' }) topic: string;
  @ApiProperty({ description: 'anchor messages read (the anchors\' key only, from the checked anchor\'s time on)' }) published: number;
  @ApiProperty({ type: Number, nullable: true, description: 'the stored anchor the read started from; null when none was published' }) checkedFrom: number | null;
  @ApiProperty({ description: 'stored anchors the relay has not published yet (not judged)' }) unpublished: number;
}

/** GET /v1/audit/verify: the hash chains of one customer's streams, or of one stream. */
export class AuditVerificationDto {
  @ApiPropertyOptional({ description: 'when verified by customer' }) customerId?: string;
  @ApiPropertyOptional({ description: 'when verified by stream' }) streamId?: string;
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'events checked' }) events: number;
  @ApiProperty({ description: 'streams checked' }) streams: number;
  @ApiProperty({ type: ChainFindingDto, nullable: true, description: 'the first finding in store order' }) finding: ChainFindingDto | null;
  @ApiProperty({ type: [ChainFindingDto], description: 'each broken stream\'s first finding, then the anchors\' cross-check with Kafka' }) findings: ChainFindingDto[];
  @ApiProperty({ type: AnchorsOnKafkaDto }) anchorsOnKafka: AnchorsOnKafkaDto;
}
