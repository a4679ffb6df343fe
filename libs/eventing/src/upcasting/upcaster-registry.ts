import { RecordedEvent } from '../store/event-store.types';

/** Upgrades the payload of one event type from `fromVersion` to `fromVersion + 1`. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

/** The one place old schema versions are upgraded: every reader goes through it. */
export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: Upcaster[] = []) {
    upcasters.forEach((u) => this.register(u));
  }

  register(upcaster: Upcaster): this {
    this.byKey.set(`${upcaster.type}@${upcaster.fromVersion}`, upcaster);
    return this;
  }

  upcast<E extends { type: string; schemaVersion: number; data: any }>(event: E): E {
    let current = event;
    for (let next = this.byKey.get(`${current.type}@${current.schemaVersion}`); next;
      next = this.byKey.get(`${current.type}@${current.schemaVersion}`)) {
      current = { ...current, data: next.upcast(current.data), schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }
}

export type { RecordedEvent };
