import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { CONTENT_TYPES } from '../shell/content-types.js';

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Vite's hashed assets never change under the same name; everything else is revalidated. */
  immutable: boolean;
}

/**
 * The file under `root` a URL path names, or null. Refuses anything that would leave `root` (`..`,
 * encoded separators, absolute paths, NUL) and anything that is not a regular file with a known type.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const wanted = decoded === '/' ? '/index.html' : decoded;
  const base = resolve(root);
  const full = resolve(join(base, normalize(wanted)));
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  const contentType = CONTENT_TYPES[extname(full).toLowerCase()];
  if (!contentType) return null;
  try {
    const info = await stat(full);
    if (!info.isFile()) return null;
    return { body: await readFile(full), contentType, immutable: rel.startsWith('assets') };
  } catch {
    return null;
  }
}
