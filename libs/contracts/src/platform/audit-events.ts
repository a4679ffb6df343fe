import { EventContract } from '../json-schema';
import { int, obj, str } from '../schema-builders';

/** The stream each service keeps its chain-head anchors in (its partition key too). */
export const CHAIN_ANCHORS_STREAM = 'chain-anchors';

/**
 * A Merkle root over the head (version and hash) of every stream in a service's store, as of
 * one database snapshot, published on the service's own topic: once it is out there, even a
 * whole-table rewrite whose chains are internally consistent no longer matches it.
 */
export interface ChainHeadsAnchoredV1 {
  /** Hex SHA-256 Merkle root (RFC 6962 tree) over `streamId|version|hash`, streams in store order. */
  root: string;
  algorithm: string;
  streams: number;
  events: number;
  /** Highest global position covered. */
  lastGlobalPosition: number;
  /** The PostgreSQL snapshot (`pg_snapshot` text) the heads were read in: exactly the events covered. */
  snapshot: string;
  anchoredAt: string;
}

export const MERKLE_ALGORITHM = 'sha256-rfc6962';

/** Published by every service on its own topic (the event catalogue lists it once). */
export const platformContracts: EventContract[] = [
  {
    type: 'ChainHeadsAnchored', version: 1,
    schema: obj({ root: str({ pattern: '^[0-9a-f]{64}$' }), algorithm: str(), streams: int(), events: int(), lastGlobalPosition: int(), snapshot: str(), anchoredAt: str({ format: 'date-time' }) }),
  },
];
