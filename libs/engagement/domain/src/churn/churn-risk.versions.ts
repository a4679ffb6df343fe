import { canonicalJson, EventEnvelope } from '@crm/contracts';
import { ChurnRiskDoc, churnRiskKey, evolveChurnRisk } from './churn-risk.read-model';

/** One customer's churn-risk document from `validFrom` on (the recorded time of the event that made it); null: none then. */
export interface ChurnRiskVersion {
  validFrom: string;
  doc: ChurnRiskDoc | null;
}

/** When the service recorded the event: what `asOf` compares (the store's recorded_at to the millisecond). */
const recordedAt = (event: EventEnvelope) => new Date(event.recordedAt ?? event.time).toISOString();

/**
 * The versions one customer's document goes through over `events` (log order), continuing from
 * `current`, the version in force before them: one per change of the document. Events recorded
 * in the same millisecond make one version (an `asOf` sees all of them or none), and a version
 * never starts before the one it follows. Every version depends only on the one before and the
 * event, so any split of the log into batches gives the same versions.
 */
export function churnRiskVersions(current: ChurnRiskVersion | undefined, events: EventEnvelope[], customerId: string): ChurnRiskVersion[] {
  // evolve works in place: each version keeps a copy.
  let doc: ChurnRiskDoc | undefined = current?.doc ? structuredClone(current.doc) : undefined;
  let text = canonicalJson(doc ?? null);
  let at = current?.validFrom ?? '';
  const versions: ChurnRiskVersion[] = [];
  for (const event of events) {
    if (churnRiskKey(event) !== customerId) continue;
    doc = evolveChurnRisk(doc, event) ?? undefined;
    const next = canonicalJson(doc ?? null);
    if (next === text) continue;
    text = next;
    const recorded = recordedAt(event);
    at = recorded > at ? recorded : at;
    const version = { validFrom: at, doc: doc ? structuredClone(doc) : null };
    if (versions.at(-1)?.validFrom === at) versions[versions.length - 1] = version;
    else versions.push(version);
  }
  return versions;
}
