import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { tokenFor } from './tokens';

const root = path.resolve(__dirname, '../../..');

export interface RunningService {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ScriptProcess {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** A Node process with the given arguments, its output captured (so a test can SIGKILL it). */
function runNode(args: string[], env: Record<string, string>): ScriptProcess {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exit, output: () => output };
}

/** Runs a TypeScript file in its own Node process (so a test can SIGKILL it), output captured. */
export function runScript(file: string, env: Record<string, string>, args: string[] = []): ScriptProcess {
  return runNode(['-r', path.join(root, 'scripts/ts-register.cjs'), file, ...args], env);
}

/** Runs a service's production bundle (dist/apps/<name>/main.js, scripts/build.mjs), output captured. */
function runBundle(name: string, env: Record<string, string>): ScriptProcess {
  return runNode([path.join(root, 'dist/apps', name, 'main.js')], env);
}

/**
 * Starts a service as its own process (as in production) and waits until it is ready: from its
 * sources, or with `bundle` from its production build (no per-file compile at start-up: a
 * restart on a loaded machine is then seconds, not minutes).
 */
export async function startService(name: string, env: Record<string, string>, timeoutMs = 60000, options: { bundle?: boolean } = {}): Promise<RunningService> {
  const port = await freePort();
  const serviceEnv = { LOG_LEVEL: 'warn', ...env, PORT: String(port) };
  const { child, exit, output } = options.bundle ? runBundle(name, serviceEnv) : runScript(path.join(root, `apps/${name}/src/main.ts`), serviceEnv);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output()}`);
    const ready = await fetch(`${url}/health/ready`).then((r) => r.ok).catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready after ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    process: child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return (await exit).code;
    },
  };
}

/** A service's answer as specs read it: status, parsed JSON body (undefined when empty), raw text, content type and headers. */
export interface ApiAnswer {
  status: number;
  /** Specs assert on whatever shape the endpoint answers. */
  body: any;
  text: string;
  /** The content type ('' when none): problem answers are application/problem+json. */
  type: string;
  headers: Headers;
}

/** One HTTP call to a running service with a development token of `role` (JSON in, JSON out). */
export async function callApi(baseUrl: string, method: string, path: string,
  options: { body?: unknown; role?: string; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(options.role ?? 'admin')}`, ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text, type: response.headers.get('content-type') ?? '', headers: response.headers };
}
