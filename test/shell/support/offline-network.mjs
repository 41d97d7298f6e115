/**
 * Preloaded (node --import) into the electronegativity scan: it fetches translations and Electron's release
 * list from the internet, and tests here talk to loopback only. Every request to another host fails at once,
 * as it would offline; the scan then uses its bundled translations.
 */
import http from 'node:http';
import https from 'node:https';

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

for (const module of [http, https]) {
  const { request, get } = module;
  const hostOf = (args) => {
    const first = args[0];
    if (typeof first === 'string') return new URL(first).hostname;
    if (first instanceof URL) return first.hostname;
    return first?.hostname ?? first?.host ?? 'localhost';
  };
  const guard = (original) =>
    function guarded(...args) {
      if (!LOOPBACK.has(hostOf(args))) throw Object.assign(new Error('network access is off in this test'), { code: 'ENETUNREACH' });
      return original.apply(this, args);
    };
  module.request = guard(request);
  module.get = guard(get);
}
