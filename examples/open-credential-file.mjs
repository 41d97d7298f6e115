#!/usr/bin/env node
// Opens a passphrase-protected Keyrack credential file (….json.encrypted or ….env.encrypted) without Keyrack.
// Node.js 20 or newer, nothing to install: it uses node:crypto only. The format is in Keyrack's
// docs/credential-files.md ("Passphrase-encrypted files"); Keyrack's test suite opens real exports with it.
//
//   node open-credential-file.mjs keyrack-crm-sync.json.encrypted keyrack-crm-sync.json
//   node open-credential-file.mjs keyrack-crm-sync.json.encrypted < passphrase.txt > keyrack-crm-sync.json
//
// The passphrase is asked for in the terminal (not shown as you type), or read from standard input when that
// is not a terminal (one trailing line break is dropped). With OUT the opened file is written there, readable
// by you alone, and an existing file is never replaced; without it, it goes to standard output. It holds the
// client secret: keep it where nobody else can read it.
// Exit status: 0 opened; 1 wrong passphrase, or the file was changed; 2 usage, or not a Keyrack encrypted file.

import { createDecipheriv, scrypt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const [file, out, ...extra] = process.argv.slice(2);
if (!file || extra.length > 0) fail(2, 'usage: node open-credential-file.mjs FILE [OUT]');

const envelope = readEnvelope(file);
const passphrase = process.stdin.isTTY ? await askHidden('Passphrase: ') : await readStandardInput();
const plaintext = await decrypt(envelope, passphrase);
if (out) {
  try {
    // 'wx': create, never replace; 0o600: the owner alone may read the secret.
    writeFileSync(out, plaintext, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    fail(2, `cannot write ${out}: ${error.code === 'EEXIST' ? 'it already exists' : error.message}`);
  }
  process.stderr.write(`Wrote ${out} (${envelope.content === 'json' ? 'JSON' : '.env'}).\n`);
} else {
  process.stdout.write(plaintext);
}

/** The envelope's fields, checked before any work: a crafted file must not make scrypt allocate gigabytes. */
function readEnvelope(path) {
  let e;
  try {
    e = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(2, `${path} is not readable JSON (${error.code ?? error.message})`);
  }
  if (e?.type !== 'keyrack_encrypted') fail(2, `${path} is not an encrypted Keyrack credential file`);
  if (e.version !== 1) fail(2, `${path} has envelope version ${e.version}; this script reads version 1`);
  if (e.kdf !== 'scrypt' || e.cipher !== 'aes-256-gcm' || (e.content !== 'json' && e.content !== 'env')) {
    fail(2, `${path} uses a key derivation, cipher or content kind this script does not know`);
  }
  const powerOfTwo = Number.isSafeInteger(e.N) && e.N > 1 && (e.N & (e.N - 1)) === 0;
  if (!powerOfTwo || e.N < 2 ** 14 || e.N > 2 ** 20 || !isIntIn(e.r, 1, 16) || !isIntIn(e.p, 1, 4)) {
    fail(2, `${path} asks for scrypt N=${e.N}, r=${e.r}, p=${e.p}: outside N = 2^14…2^20 (a power of two), r ≤ 16, p ≤ 4`);
  }
  for (const [field, length] of [['salt', 16], ['iv', 12], ['tag', 16], ['ciphertext', null]]) {
    if (typeof e[field] !== 'string' || !/^[A-Za-z0-9_-]*$/.test(e[field])) fail(2, `${path}: ${field} is not base64url`);
    if (length !== null && base64url(e[field]).length !== length) fail(2, `${path}: ${field} is not ${length} bytes`);
  }
  return e;
}

async function decrypt(e, passphrase) {
  // RFC 7914 scrypt over the passphrase's UTF-8 bytes after Unicode NFC normalization; 32 bytes for AES-256.
  // It needs 128 × N × r bytes (128 MiB at Keyrack's N = 2^17, r = 8); maxmem allows twice that, as Keyrack's own reader does.
  const key = await new Promise((resolve, reject) =>
    scrypt(Buffer.from(passphrase.normalize('NFC'), 'utf8'), base64url(e.salt), 32, { N: e.N, r: e.r, p: e.p, maxmem: 256 * e.N * e.r + 2 ** 20 }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    ),
  );
  // The header is authenticated: this exact JSON array, no spaces, in this order, from the envelope's values.
  const aad = Buffer.from(JSON.stringify([e.type, e.version, e.content, e.kdf, e.N, e.r, e.p, e.salt, e.cipher]), 'utf8');
  const decipher = createDecipheriv('aes-256-gcm', key, base64url(e.iv), { authTagLength: 16 });
  decipher.setAAD(aad);
  decipher.setAuthTag(base64url(e.tag));
  try {
    return Buffer.concat([decipher.update(base64url(e.ciphertext)), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong passphrase from a changed file: both fail the authentication tag.
    fail(1, 'The passphrase is wrong, or the file was changed after it was encrypted.');
  } finally {
    key.fill(0);
  }
}

/** RFC 4648 §5, without padding. */
function base64url(text) {
  return Buffer.from(text, 'base64url');
}

function isIntIn(n, min, max) {
  return Number.isSafeInteger(n) && n >= min && n <= max;
}

async function readStandardInput() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    fail(2, 'the passphrase on standard input is not UTF-8');
  }
  return text.replace(/\r?\n$/, '');
}

/** Reads a line from the terminal without showing it (raw mode: each key arrives as typed). */
function askHidden(question) {
  return new Promise((resolve) => {
    const input = process.stdin;
    let typed = [];
    const finish = () => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          return resolve(typed.join(''));
        }
        if (char === '\u0003') {
          finish();
          process.exit(130); // Ctrl-C, as a shell reports it
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed.push(char);
      }
    };
    process.stderr.write(question);
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

function fail(status, message) {
  process.stderr.write(`${message}\n`);
  process.exit(status);
}
