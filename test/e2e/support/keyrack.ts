import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Built by global-setup from electron/web-bridge/serve.ts (the `npm run dev:web` entry). */
export const SERVE_BUNDLE = 'dist/web-bridge/serve.mjs';

/** Set by global-setup: the run's private copy of the built renderer. */
export const RENDERER_COPY_ENV = 'KEYRACK_E2E_STATIC';

/** The static files a Keyrack of this run serves: global-setup's copy, else the build itself. */
export function rendererDir(): string {
  return process.env[RENDERER_COPY_ENV] ?? resolve('dist/renderer');
}

export interface Keyrack {
  /** Base URL of the bridge, ending in `/`. */
  url: string;
  /** The token server the bridge runs beside it on 127.0.0.1, or null when it did not start. */
  tokenServerUrl: string | null;
  dataDir: string;
  /** Where the bridge writes exported files instead of showing a save dialog. */
  saveDir: string;
  stop(): Promise<void>;
}

/**
 * A Keyrack of its own for one spec file: the real bridge over a real core, a fresh data folder, a free
 * port on 127.0.0.1. Resolves when the process prints its URL; fails after 30 s or if it exits first.
 * `prepare` may fill the data folder first (the bridge then opens that store); `env` adds to its environment.
 */
export async function startKeyrack(
  options: {
    prepare?: (dataDir: string) => Promise<void> | void;
    /** More of the bridge's environment (KEYRACK_WEB_OPEN_FILES, KEYRACK_RANGES_MIRROR: electron/web-bridge/serve.ts). */
    env?: Record<string, string>;
  } = {},
): Promise<Keyrack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyrack-e2e-'));
  const saveDir = join(dataDir, 'exports');
  let bridge: LaunchedBridge;
  try {
    // A store written before the app starts (events from long ago, say), through the core itself.
    await options.prepare?.(dataDir);
    bridge = await launchBridge(
      {
        KEYRACK_DATA: dataDir,
        KEYRACK_WEB_PORT: '0',
        KEYRACK_TOKEN_PORT: '0',
        KEYRACK_WEB_SAVE_DIR: saveDir,
        KEYRACK_WEB_STATIC: rendererDir(),
        ...options.env,
      },
      30_000,
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: bridge.url,
    tokenServerUrl: bridge.tokenServerUrl,
    dataDir,
    saveDir,
    stop: () => bridge.stop().then(() => rmSync(dataDir, { recursive: true, force: true })),
  };
}

export interface LaunchedBridge {
  url: string;
  tokenServerUrl: string | null;
  stop(): Promise<void>;
}

/**
 * The `npm run dev:web` bundle as a child process with `env` on top of this one's. Resolves when it prints
 * its URL; fails after `timeoutMs` or if it exits first (with what it wrote to stderr). `stop` sends
 * SIGTERM, and SIGKILL after 5 s.
 */
export async function launchBridge(env: Record<string, string>, timeoutMs: number): Promise<LaunchedBridge> {
  const child = spawn(process.execPath, [resolve(SERVE_BUNDLE)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let tokenServerUrl: string | null = null;
  const url = await new Promise<string>((done, fail) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a bridge that never started must not outlive the test run
      fail(new Error(`Keyrack did not start in ${timeoutMs / 1000} s:\n${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const token = /Keyrack token server: (http\S+)/.exec(stdout);
      if (token) tokenServerUrl = token[1]!;
      const match = /Keyrack web UI: (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Keyrack exited with ${code} before it started:\n${stderr}`));
    });
  });
  return { url, tokenServerUrl, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * A second browser-like client of the same bridge, for seeding data the journey needs and for checks
 * behind the UI's back. Keeps its own session cookie, sends the bridge's required header.
 */
export class BridgeClient {
  private cookie = '';

  constructor(private readonly base: string) {}

  async call<T = unknown>(channel: string, input: unknown = {}): Promise<T> {
    const response = await fetch(new URL(`api/${channel}`, this.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-keyrack': '1', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify(input),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const result = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  /** Tries a call and returns the error code, or null when it succeeded. */
  async errorOf(channel: string, input: unknown = {}): Promise<string | null> {
    try {
      await this.call(channel, input);
      return null;
    } catch (error) {
      return /: ([a-z_]+): /.exec(String(error))?.[1] ?? 'unknown';
    }
  }
}

export const ADMIN = { name: 'alice', password: 'correct horse battery staple' };
