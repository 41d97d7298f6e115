/**
 * An open-loop, paced load: requests at a fixed rate whatever the server does, each one's latency measured
 * from the time it was scheduled to be sent, not from when it was sent. A closed-loop generator (autocannon,
 * wrk) waits for an answer before sending the next request on that connection, so a stall of the server also
 * stalls the load and the requests that should have been sent meanwhile are never measured ("coordinated
 * omission", Gil Tene). Here a stall shows: the requests due during it are sent late or queue for a
 * connection, and their latency counts from their due time.
 *
 * One small generator on node:http with a keep-alive agent (no dependency): at the rates this bench uses
 * (hundreds to a few thousand a second) its own cost is small, and it reports how late it sent requests
 * (send lag) so that the generator's own delay can be told apart from the server's.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Requests a second. */
  rate: number;
  seconds: number;
  /** Requests sent before measuring starts (same rate), so connections and caches are warm. */
  warmupSeconds?: number;
  /** Connections the generator may open; a request due while all are busy waits for one, and that counts. */
  maxConnections: number;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export interface PacedResult extends LatencySummary {
  targetRate: number;
  /** Answered requests a second over the measured interval (from the first due time to the last answer). */
  achievedRate: number;
  answered: number;
  errors: number;
  non200: number;
  /** How late the generator itself sent requests (ms): p99 and max. */
  sendLagP99: number;
  sendLagMax: number;
}

/** Percentiles of latencies in ms (sorted in place). */
export function summarize(latencies: Float64Array): LatencySummary {
  latencies.sort();
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]! : NaN);
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: latencies.length ? latencies[latencies.length - 1]! : NaN };
}

export async function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  const { rate, seconds, maxConnections } = options;
  const warmup = Math.round(rate * (options.warmupSeconds ?? 1));
  const total = warmup + Math.round(rate * seconds);
  const interval = 1000 / rate;
  const agent = new Agent({ keepAlive: true, maxSockets: maxConnections });
  const target = new URL(options.url);
  const headers = { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) };
  const latencies = new Float64Array(total - warmup);
  const sendLag = new Float64Array(total - warmup);
  let answered = 0;
  let errors = 0;
  let non200 = 0;
  let settled = 0;
  let lastAnswer = 0;

  const start = performance.now() + 20;
  const measuredFrom = start + warmup * interval;
  let next = 0;

  await new Promise<void>((finished) => {
    const settle = () => {
      if (++settled === total) finished();
    };
    const fire = (index: number, due: number) => {
      const measured = index >= warmup;
      if (measured) sendLag[index - warmup] = performance.now() - due;
      const req = request(target, { method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const now = performance.now();
          if (measured) {
            latencies[answered++] = now - due;
            lastAnswer = now;
            if (res.statusCode !== 200) non200++;
          }
          settle();
        });
      });
      req.on('error', () => {
        if (measured) errors++;
        settle();
      });
      req.end(options.body);
    };
    // Sends every request that is due, then comes back: by a timer while the next is more than 2 ms away,
    // else on the next turn of the event loop (timers are too coarse for sub-millisecond intervals).
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        fire(next, start + next * interval);
        next++;
      }
      if (next === total) return;
      const wait = start + next * interval - performance.now();
      if (wait > 2) setTimeout(tick, wait - 1);
      else setImmediate(tick);
    };
    setTimeout(tick, 20);
  });
  agent.destroy();

  const summary = summarize(latencies.subarray(0, answered));
  const lag = summarize(sendLag);
  return {
    targetRate: rate,
    achievedRate: answered / ((lastAnswer - measuredFrom) / 1000),
    answered,
    errors,
    non200,
    ...summary,
    sendLagP99: lag.p99,
    sendLagMax: lag.max,
  };
}

/** One connection, one request at a time (closed loop), for `seconds`: each request's latency in ms. */
export async function sequentialLoad(options: Pick<PacedOptions, 'url' | 'headers' | 'body' | 'seconds'>): Promise<LatencySummary & { count: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(options.url);
  const headers = { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) };
  const one = () =>
    new Promise<number>((done, fail) => {
      const started = performance.now();
      const req = request(target, { method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done(performance.now() - started) : fail(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', fail);
      req.end(options.body);
    });
  for (let i = 0; i < 50; i++) await one(); // warm-up
  const latencies: number[] = [];
  const until = performance.now() + options.seconds * 1000;
  while (performance.now() < until) latencies.push(await one());
  agent.destroy();
  return { ...summarize(Float64Array.from(latencies)), count: latencies.length };
}
