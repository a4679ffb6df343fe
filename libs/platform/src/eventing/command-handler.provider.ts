import { Provider } from '@nestjs/common';
import { commandHandlerFor, CommandHandlerOptions, DomainEvent, PostgresEventStore } from '@crm/eventing';
import { Logger } from 'pino';
import { EVENT_STORE, LOGGER } from './tokens';

/** A service's command handler for one kind of stream, as a Nest provider under `token`. */
export function provideCommandHandler<S, C, E extends DomainEvent>(
  token: symbol, options: Omit<CommandHandlerOptions<S, C, E>, 'logger'>,
): Provider {
  return {
    provide: token,
    useFactory: (store: PostgresEventStore, logger: Logger) => commandHandlerFor(store, { ...options, logger }),
    inject: [EVENT_STORE, LOGGER],
  };
}
