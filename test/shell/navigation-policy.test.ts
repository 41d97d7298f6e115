import { describe, expect, test } from 'vitest';
import { isAppUrl } from '../../electron/shell/app-origin.js';
import { allowedExternalUrl } from '../../electron/shell/external-links.js';
import { decideNavigation, decideWindowOpen } from '../../electron/shell/navigation.js';
import { isPermissionGranted } from '../../electron/shell/permissions.js';
import { isAllowedRendererRequest } from '../../electron/shell/request-filter.js';

describe('shell.openExternal allowlist (checklist 15)', () => {
  test.each([
    'https://ip-ranges.amazonaws.com/ip-ranges.json',
    'https://www.cloudflare.com/ips/',
    'https://www.rfc-editor.org/rfc/rfc6749#section-4.4',
  ])('opens %s', (url) => {
    expect(allowedExternalUrl(url)).toBe(url);
  });

  test.each([
    ['plain http', 'http://www.cloudflare.com/ips/'],
    ['a host not on the list', 'https://evil.example/'],
    ['a listed host as a prefix', 'https://www.cloudflare.com.evil.example/ips/'],
    ['a listed host as a suffix', 'https://evilwww.cloudflare.com/'],
    ['a subdomain of a listed host', 'https://x.ip-ranges.amazonaws.com/'],
    ['credentials in the URL', 'https://user:pw@www.cloudflare.com/'],
    ['a user name that looks like the host', 'https://www.cloudflare.com@evil.example/'],
    ['a non-default port', 'https://www.cloudflare.com:8443/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['a custom protocol handler', 'ms-msdt:/id PCWDiagnostic'],
    ['smb: (credential leaks on Windows)', 'smb://attacker.example/share'],
    ['the app itself', 'app://keyrack/index.html'],
    ['a relative path', '/ips/'],
    ['not a string', 42],
    ['an absurdly long URL', `https://www.cloudflare.com/${'a'.repeat(3000)}`],
  ])('refuses %s', (_label, url) => {
    expect(allowedExternalUrl(url)).toBeNull();
  });

  test('normalises what it opens (case of the host, default port spelled out)', () => {
    expect(allowedExternalUrl('https://WWW.Cloudflare.COM:443/ips/')).toBe('https://www.cloudflare.com/ips/');
  });
});

describe('navigation (checklists 13 and 14)', () => {
  test('the app may navigate within its own origin', () => {
    expect(decideNavigation('app://keyrack/index.html')).toEqual({ action: 'allow' });
    expect(decideNavigation('app://keyrack/users?page=2')).toEqual({ action: 'allow' });
  });

  test('anything else is denied; an allow-listed https link opens in the system browser instead', () => {
    expect(decideNavigation('https://www.cloudflare.com/ips/')).toEqual({
      action: 'deny',
      openExternally: 'https://www.cloudflare.com/ips/',
    });
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://127.0.0.1:8080/', 'app://keyrack.evil/', 'about:blank']) {
      expect(decideNavigation(url)).toEqual({ action: 'deny', openExternally: null });
    }
  });

  test('new windows are never created, even for the app origin', () => {
    expect(decideWindowOpen('app://keyrack/index.html')).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('https://evil.example/')).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('https://www.rfc-editor.org/rfc/rfc7009')).toEqual({
      action: 'deny',
      openExternally: 'https://www.rfc-editor.org/rfc/rfc7009',
    });
  });
});

describe('permissions (checklist 5)', () => {
  test('only clipboard writing, only for the app', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://keyrack/index.html')).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://keyrack')).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', undefined)).toBe(false);
    for (const permission of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb']) {
      expect(isPermissionGranted(permission, 'app://keyrack/index.html')).toBe(false);
    }
  });
});

describe('the renderer request filter (no remote content)', () => {
  test('only the app, inline data and devtools', () => {
    expect(isAllowedRendererRequest('app://keyrack/assets/index-abc.js')).toBe(true);
    expect(isAllowedRendererRequest('data:image/svg+xml;base64,PHN2Zz4=')).toBe(true);
    expect(isAllowedRendererRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
    for (const url of [
      'https://fonts.googleapis.com/css',
      'http://127.0.0.1:8443/token',
      'ws://127.0.0.1:1/',
      'file:///etc/passwd',
      'app://other/x.js',
      'blob:app://keyrack/1234',
      'chrome-extension://abc/x.js',
    ]) {
      expect(isAllowedRendererRequest(url)).toBe(false);
    }
  });

  test('isAppUrl is exact about the origin', () => {
    expect(isAppUrl('APP://KEYRACK/index.html')).toBe(true);
    expect(isAppUrl('app://keyrack.')).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });
});
