import { createServer, Server } from 'node:http';
import { Duplex } from 'node:stream';
import { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { PROBLEM_BASE } from './problem';
import { securityHeaders } from './security-headers';

/** What Node's HTTP parser refuses before any middleware sees the request, as problem+json. */
const PARSER_ERRORS: Record<string, { status: number; reason: string; type: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', type: 'request-header-fields-too-large', detail: 'the request\'s headers are larger than this service accepts' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', type: 'request-timeout', detail: 'the request was not received in time' },
};
const MALFORMED = { status: 400, reason: 'Bad Request', type: 'bad-request', detail: 'the request is not well-formed HTTP' };

/** The raw answer to a request the parser refused: no Express, so the headers are written here. */
export function parserErrorResponse(code: string | undefined): string {
  const known = PARSER_ERRORS[code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ type: `${PROBLEM_BASE}${known.type}`, title: known.reason, status: known.status, detail: known.detail });
  const headers = [['Content-Type', 'application/problem+json'], ['Content-Length', String(Buffer.byteLength(body))],
    ['Connection', 'close'], ...securityHeaders()].map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${known.status} ${known.reason}\r\n${headers}\r\n${body}`;
}

export interface HttpServerLimits {
  maxHeaderBytes: number;
  keepAliveTimeoutMs: number;
}

/**
 * Nest's Express adapter creates its server with Node's defaults; this one sets the request
 * head limit (maxHeaderSize, a 431), keeps idle connections open longer than the pools in
 * front of it do (Node's 5 s is shorter than a load balancer's 60 s: the balancer would send
 * requests on connections the service is closing, and its clients would see resets), and
 * answers what the parser refuses as problem+json rather than Node's bare status line.
 */
export class HardenedExpressAdapter extends ExpressAdapter {
  constructor(private readonly limits: HttpServerLimits) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections || options?.return503OnClosing) {
      throw new Error('HardenedExpressAdapter: TLS terminates at the ingress, and draining is the platform\'s (DrainState)');
    }
    const server: Server = createServer({ maxHeaderSize: this.limits.maxHeaderBytes }, this.getInstance());
    // Idle keep-alive only: a request's own head and body stay bound by headersTimeout and requestTimeout.
    server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      // A reset or an answer already under way: nothing more can be said on this socket.
      if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
        socket.destroy();
        return;
      }
      socket.end(parserErrorResponse(error.code));
    });
    this.setHttpServer(server);
  }
}
