import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../electron/shell/csp.js';

/** A policy as directive → sources, so each test reads one directive. */
function parseCsp(policy: string): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) parsed.set(name.toLowerCase(), sources);
  }
  return parsed;
}

/** The few entities an HTML serializer uses inside a double-quoted attribute. */
const decodeAttribute = (value: string): string =>
  value.replace(/&#39;|&#x27;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

const REMOTE = /^(https?:|wss?:|\*|[a-z0-9.-]+\.[a-z]{2,})/i;

describe('the Content Security Policy (checklist 7)', () => {
  const header = parseCsp(CONTENT_SECURITY_POLICY);

  test('everything not named is refused', () => {
    expect(header.get('default-src')).toEqual(["'none'"]);
  });

  test('scripts only from the app itself: no inline, no eval, no remote origin', () => {
    expect(header.get('script-src')).toEqual(["'self'"]);
    // 'script-src' falls back to default-src, but be explicit that nothing widens scripts elsewhere.
    expect(header.has('script-src-elem')).toBe(false);
    expect(header.has('script-src-attr')).toBe(false);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-hashes|strict-dynamic|wasm-unsafe-eval/);
  });

  test('no directive allows a remote origin, a wildcard or a non-data scheme', () => {
    for (const [directive, sources] of header) {
      for (const source of sources) {
        expect(REMOTE.test(source), `${directive} ${source}`).toBe(false);
        expect(["'self'", "'none'", "'unsafe-inline'", 'data:']).toContain(source);
      }
    }
  });

  test("'unsafe-inline' appears only for styles (Mantine's runtime <style>)", () => {
    for (const [directive, sources] of header) {
      if (sources.includes("'unsafe-inline'")) expect(directive).toBe('style-src');
    }
  });

  test('no plugins, frames, base tag changes, form posts, or framing by others', () => {
    expect(header.get('object-src')).toEqual(["'none'"]);
    expect(header.get('frame-src')).toEqual(["'none'"]);
    expect(header.get('base-uri')).toEqual(["'none'"]);
    expect(header.get('form-action')).toEqual(["'none'"]);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    expect(header.get('connect-src')).toEqual(["'self'"]);
  });

  test('the meta variant is the same policy minus what a meta tag cannot carry', () => {
    const meta = parseCsp(META_CONTENT_SECURITY_POLICY);
    expect(meta.has('frame-ancestors')).toBe(false);
    for (const [directive, sources] of meta) expect(header.get(directive)).toEqual(sources);
    expect(meta.size).toBe(header.size - 1);
    // It goes into an HTML attribute: nothing in it may close the attribute.
    expect(META_CONTENT_SECURITY_POLICY).not.toMatch(/["<>]/);
  });

  test('the built renderer page carries a policy at least as strict for scripts (when built)', () => {
    let html: string;
    try {
      html = readFileSync(new URL('../../dist/renderer/index.html', import.meta.url), 'utf8');
    } catch {
      return; // `npm run build` (which `npm test` runs first) produces it; a bare vitest run may not have
    }
    const match = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
    expect(match, 'dist/renderer/index.html has a CSP meta tag').not.toBeNull();
    const policy = parseCsp(decodeAttribute(match?.[1] ?? ''));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i); // no inline script element
  });
});
