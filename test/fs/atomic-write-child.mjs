// One atomic write (electron/fs/atomic-write.ts, transpiled by the test) in a process of its own that, at the
// step named, either kills itself with SIGKILL (nothing of its own cleans up: a crash or a power cut) or makes
// that step fail. test/fs/atomic-write.test.ts runs it and then looks at the folder. Plain JavaScript so that
// it runs without a TypeScript loader.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { dirname } from 'node:path';

const { module, target, kind, step, action } = JSON.parse(process.argv[2]);
// The new content comes on stdin (too large for the command line), read before fs is intercepted.
const content = fs.readFileSync(0, 'utf8');

const crash = () => process.kill(process.pid, 'SIGKILL');
const failure = () => Object.assign(new Error(`injected failure at ${step}`), { code: 'EIO' });
const isTemp = (path) => typeof path === 'string' && path.endsWith('.tmp');

/** Crashes, or throws the injected failure. */
function act() {
  if (action === 'fail') throw failure();
  crash();
}

/** Wraps one fs function: `around` gets the call's arguments and a function that makes the real call. */
function intercept(name, around) {
  const real = fs[name];
  fs[name] = (...args) => around(args, (...override) => real(...(override.length > 0 ? override : args)));
}

/** Crashes or fails just before the call of `name` (whose arguments pass `when`). */
function before(name, when = () => true) {
  intercept(name, (args, call) => {
    if (when(args)) act();
    return call();
  });
}

// Each step: what the process is about to do (or, for 'renamed', has just done) when it crashes or fails.
const steps = {
  // The temp file exists, empty.
  created: () =>
    intercept('openSync', (args, call) => {
      if (!isTemp(args[0])) return call();
      if (action === 'fail') act();
      const fd = call();
      crash();
      return fd;
    }),
  // Half the content is in the temp file.
  'half-written': () =>
    intercept('writeSync', ([fd, bytes, offset, length], call) => {
      if (action === 'fail') act();
      call(fd, bytes, offset, Math.floor(length / 2));
      crash();
    }),
  // All of it is in the temp file, not yet fsynced.
  written: () => {
    before('fsyncSync');
    // The stream fsyncs through the callback API before it closes (flush: true).
    intercept('fsync', ([fd, callback], call) => {
      if (action === 'fail') return callback(failure());
      crash();
      return call(fd, callback);
    });
  },
  // The temp file is complete and fsynced, not yet renamed.
  synced: () => before('renameSync'),
  // Renamed over the target; the folder is not yet fsynced (a failure: opening the folder to fsync it fails).
  renamed: () => {
    if (action === 'fail') return before('openSync', ([path]) => path === dirname(target));
    intercept('renameSync', (_args, call) => {
      call();
      crash();
    });
  },
};

// The stream's half-way point is reached by writing half and waiting for it to reach the file.
if (!(kind === 'stream' && step === 'half-written')) steps[step]();
// ESM imports of node:fs are bindings to its exports: make them see the wrapped functions.
syncBuiltinESMExports();
const { openAtomicWriteStream, writeFileAtomic } = await import(module);

try {
  if (kind === 'buffer') {
    writeFileAtomic(target, content);
  } else {
    const file = openAtomicWriteStream(target);
    const half = Math.floor(content.length / 2);
    await new Promise((resolve, reject) => file.stream.write(content.slice(0, half), (error) => (error ? reject(error) : resolve())));
    if (step === 'half-written') crash();
    file.stream.write(content.slice(half));
    await file.commit();
  }
  process.stdout.write('written');
} catch (error) {
  process.stdout.write(`failed: ${error.message}`);
}
