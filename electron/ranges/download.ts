import type { Provider } from '../../shared/domain.js';
import { azureDateFromFileName } from './parsers/azure.js';
import { parseProviderFiles, type RangeFile } from './parsers/index.js';
import type { RangeSource } from './sources.js';
import type { ParsedRanges } from './types.js';

export interface DownloadOptions {
  /** For the whole provider (all its files, and Azure's page); default 60 s. */
  timeoutMs: number;
  /** Per file; the largest (Azure) is about 4 MB. */
  maxBytes: number;
  fetch: typeof fetch;
}

export interface Downloaded {
  parsed: ParsedRanges;
  publishedAtSource: 'file' | 'file name' | 'Last-Modified' | null;
  urls: string[];
  bytes: number;
}

/** Downloads and parses one provider's files. Throws with a message that says what failed (never file content). */
export async function downloadProvider(provider: Provider, source: RangeSource, options: DownloadOptions): Promise<Downloaded> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const urls = source.kind === 'files' ? [...source.urls] : [await findAzureFileUrl(source.url, signal, options)];
  const files: (RangeFile & { lastModified: string | null })[] = [];
  for (const url of urls) files.push(await fetchText(url, signal, options));
  const parsed = parseProviderFiles(provider, files);
  let publishedAtSource: Downloaded['publishedAtSource'] = null;
  if (parsed.publishedAt !== null) {
    publishedAtSource = provider === 'AZURE' ? 'file name' : 'file';
  } else {
    // Cloudflare and DigitalOcean write no date inside: the server's Last-Modified is the next best thing.
    const dates = files.map((f) => (f.lastModified === null ? NaN : Date.parse(f.lastModified))).filter(Number.isFinite);
    if (dates.length > 0) {
      parsed.publishedAt = new Date(Math.max(...dates)).toISOString();
      publishedAtSource = 'Last-Modified';
    }
  }
  return { parsed, publishedAtSource, urls, bytes: files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0) };
}

async function fetchText(
  url: string,
  signal: AbortSignal,
  options: DownloadOptions,
): Promise<RangeFile & { lastModified: string | null }> {
  let response: Response;
  try {
    response = await options.fetch(url, { signal, redirect: 'follow', headers: { accept: '*/*' } });
  } catch (error) {
    throw new Error(`${url}: ${describeFetchError(error, options.timeoutMs)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new Error(`${url}: ${declared} bytes is more than the ${options.maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > options.maxBytes) throw new Error(`more than the ${options.maxBytes}-byte limit`);
        chunks.push(chunk);
      }
    }
  } catch (error) {
    throw new Error(`${url}: ${describeFetchError(error, options.timeoutMs)}`);
  }
  const name = new URL(response.url || url).pathname.split('/').pop() ?? '';
  return { name, text: Buffer.concat(chunks).toString('utf8'), lastModified: response.headers.get('last-modified') };
}

/** Azure's download page links to this week's ServiceTags_Public_YYYYMMDD.json; the newest link wins. */
async function findAzureFileUrl(pageUrl: string, signal: AbortSignal, options: DownloadOptions): Promise<string> {
  const page = await fetchText(pageUrl, signal, { ...options, maxBytes: Math.min(options.maxBytes, 4 * 1024 * 1024) });
  const links = [...page.text.matchAll(/https?:\/\/[^"'\s<>]+\/ServiceTags_Public_\d{8}\.json/g)]
    .map((m) => m[0])
    // Only an https link, or one on the page's own origin (a mirror): never a downgrade to another host.
    .filter((link) => link.startsWith('https://') || new URL(link).origin === new URL(pageUrl).origin)
    .sort((a, b) => (azureDateFromFileName(b) ?? '').localeCompare(azureDateFromFileName(a) ?? ''));
  if (links.length === 0) throw new Error(`${pageUrl}: no link to ServiceTags_Public_YYYYMMDD.json on the page`);
  return links[0]!;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message ?? 'failed'} (${cause})` : (e?.message ?? String(error));
}
