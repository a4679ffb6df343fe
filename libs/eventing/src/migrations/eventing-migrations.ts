import { Eventing1764000000000 } from './1764000000000-eventing';
import { PersonalDataKeys1764200000000 } from './1764200000000-personal-data-keys';
import { CommandSupport1764300000000 } from './1764300000000-command-support';
import { ParkedEventsSkipReason1764500000000 } from './1764500000000-parked-events-skip-reason';
import { DayCloseRuns1764550000000 } from './1764550000000-day-close-runs';
import { UniqueLookups1764600000000 } from './1764600000000-unique-lookups';
import { AppendNotifications1764650000000 } from './1764650000000-append-notifications';
import { CountersAndGates1764720000000 } from './1764720000000-counters-and-gates';
import { ChainAnchorHeads1764740000000 } from './1764740000000-chain-anchor-heads';
import { CheckpointLogPositions1764760000000 } from './1764760000000-checkpoint-log-positions';
import { AppendNotificationsAfterCommit1764780000000 } from './1764780000000-append-notifications-after-commit';
import { EventingMigration } from './eventing-migration';

export * from './eventing-migration';
export { Eventing1764000000000, PersonalDataKeys1764200000000, CommandSupport1764300000000, ParkedEventsSkipReason1764500000000, DayCloseRuns1764550000000,
  UniqueLookups1764600000000, AppendNotifications1764650000000, CountersAndGates1764720000000, ChainAnchorHeads1764740000000, CheckpointLogPositions1764760000000,
  AppendNotificationsAfterCommit1764780000000 };

/**
 * Every migration of the eventing tables, oldest first: services run them with their own
 * (TypeORM, PlatformModule), tests run the same ones (`installEventing`). Append, never edit.
 */
export const EVENTING_MIGRATIONS: ReadonlyArray<new () => EventingMigration> = [
  Eventing1764000000000,
  PersonalDataKeys1764200000000,
  CommandSupport1764300000000,
  ParkedEventsSkipReason1764500000000,
  DayCloseRuns1764550000000,
  UniqueLookups1764600000000,
  AppendNotifications1764650000000,
  CountersAndGates1764720000000,
  ChainAnchorHeads1764740000000,
  CheckpointLogPositions1764760000000,
  AppendNotificationsAfterCommit1764780000000,
];
