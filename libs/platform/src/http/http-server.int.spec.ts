import { Server } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { HardenedExpressAdapter } from './http-server';

/** One HTTP/1.1 GET on an open socket; resolves with the response head. */
function get(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (!received.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve(received.split('\r\n\r\n')[0]);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write('GET /ping HTTP/1.1\r\nHost: service\r\n\r\n');
  });
}

async function serve(keepAliveTimeoutMs: number): Promise<Server> {
  const adapter = new HardenedExpressAdapter({ maxHeaderBytes: 16 * 1024, keepAliveTimeoutMs });
  adapter.getInstance().get('/ping', (_request: unknown, response: { send(body: string): void }) => response.send('pong'));
  adapter.initHttpServer({});
  const server: Server = adapter.getHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('the HTTP server keeps idle connections open as configured', () => {
  let server: Server | undefined;
  let socket: Socket | undefined;
  afterEach(async () => {
    socket?.destroy();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('serves a request on a connection idle for longer than Node\'s default keep-alive (5 s) and says how long it waits', async () => {
    server = await serve(65_000);
    socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const closed = new Promise<'closed'>((resolve) => socket!.once('end', () => resolve('closed')));
    expect(await get(socket)).toMatch(/\r\nKeep-Alive: timeout=65\b/);
    // Node's default closes at 5 s (+1 s grace): a client or balancer reusing the connection here would meet a reset.
    const idle = await Promise.race([closed, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 6_500))]);
    expect(idle).toBe('open');
    expect(await get(socket)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  }, 20_000);

  it('closes an idle connection once the configured time has passed', async () => {
    server = await serve(1_000);
    socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const started = Date.now();
    const closed = new Promise<number>((resolve) => socket!.once('end', () => resolve(Date.now() - started)));
    expect(await get(socket)).toMatch(/\r\nKeep-Alive: timeout=1\b/);
    expect(await closed).toBeLessThan(4_000);
  }, 20_000);
});
