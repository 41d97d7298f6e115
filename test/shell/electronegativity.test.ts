import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * Electronegativity (Doyensec's Electron security scanner) over the shell's sources, as issue 4 asks: no
 * HIGH finding. It runs in a child process with the network off (see support/offline-network.mjs), so the
 * one check that needs Electron's online release list (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK) is left out;
 * `npm audit` and keeping the electron dependency current cover that ground.
 */
interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const offline = fileURLToPath(new URL('./support/offline-network.mjs', import.meta.url));

const SCAN = `
import run from '@doyensec/electronegativity';
const result = await run({
  input: 'electron',
  isRelative: true,
  electronVersionOverride: '45.0.0',
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
});
const findings = result.issues.map((i) => ({
  id: i.id, severity: i.severity.name, confidence: i.confidence.name, file: i.file, line: i.location.line,
}));
process.stdout.write('\\n' + JSON.stringify({ findings, errors: result.errors.length }) + '\\n');
`;

function scan(): { findings: Finding[]; errors: number } {
  const out = execFileSync(process.execPath, ['--import', offline, '--input-type=module', '-e', SCAN], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  // The scanner prints its own table and warnings first; the result is the last line.
  const last = out.trim().split('\n').pop()!;
  return JSON.parse(last) as { findings: Finding[]; errors: number };
}

test('electronegativity finds nothing HIGH in the Electron shell', () => {
  const { findings, errors } = scan();
  // It parsed our files (a scan that read nothing would pass vacuously): the preload use is always reported for review.
  expect(errors).toBe(0);
  expect(findings.some((f) => f.id === 'PRELOAD_JS_CHECK' && f.file.endsWith('window.ts'))).toBe(true);
  expect(findings.filter((f) => f.severity === 'HIGH')).toEqual([]);
  // Middle clicks are off in the window (window.ts), so this MEDIUM one stays fixed too.
  expect(findings.filter((f) => f.id === 'AUXCLICK_JS_CHECK')).toEqual([]);
}, 150_000);
