#!/usr/bin/env python3
"""Opens a passphrase-protected Keyrack credential file (….json.encrypted or ….env.encrypted) without Keyrack.

Python 3.8 or newer with the `cryptography` package (pip install cryptography) for AES-256-GCM; scrypt comes
from the standard library (hashlib, built on OpenSSL). The format is in Keyrack's docs/credential-files.md
("Passphrase-encrypted files"); Keyrack's test suite opens real exports with it.

    python3 open_credential_file.py keyrack-crm-sync.json.encrypted keyrack-crm-sync.json
    python3 open_credential_file.py keyrack-crm-sync.json.encrypted < passphrase.txt > keyrack-crm-sync.json

The passphrase is asked for in the terminal (not shown), or read from standard input when that is not a
terminal (one trailing line break is dropped). With OUT the opened file is written there, readable by you
alone, and an existing file is never replaced; without it, it goes to standard output. It holds the client
secret: keep it where nobody else can read it.
Exit status: 0 opened; 1 wrong passphrase, or the file was changed; 2 usage, or not a Keyrack encrypted file.
"""

import base64
import getpass
import hashlib
import json
import os
import re
import sys
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def fail(status, message):
    print(message, file=sys.stderr)
    sys.exit(status)


def base64url(text):
    """RFC 4648 §5, without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def read_envelope(path):
    """The envelope's fields, checked before any work: a crafted file must not make scrypt allocate gigabytes."""
    try:
        with open(path, encoding="utf-8") as f:
            e = json.load(f)
    except (OSError, ValueError) as error:
        fail(2, f"{path} is not readable JSON ({error})")
    if not isinstance(e, dict) or e.get("type") != "keyrack_encrypted":
        fail(2, f"{path} is not an encrypted Keyrack credential file")
    if e.get("version") != 1:
        fail(2, f"{path} has envelope version {e.get('version')}; this script reads version 1")
    if e.get("kdf") != "scrypt" or e.get("cipher") != "aes-256-gcm" or e.get("content") not in ("json", "env"):
        fail(2, f"{path} uses a key derivation, cipher or content kind this script does not know")
    n, r, p = e.get("N"), e.get("r"), e.get("p")
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p))
    if not ints or n < 2**14 or n > 2**20 or n & (n - 1) != 0 or not 1 <= r <= 16 or not 1 <= p <= 4:
        fail(2, f"{path} asks for scrypt N={n}, r={r}, p={p}: outside N = 2^14…2^20 (a power of two), r ≤ 16, p ≤ 4")
    for field, length in (("salt", 16), ("iv", 12), ("tag", 16), ("ciphertext", None)):
        value = e.get(field)
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", value):
            fail(2, f"{path}: {field} is not base64url")
        if length is not None and len(base64url(value)) != length:
            fail(2, f"{path}: {field} is not {length} bytes")
    return e


def decrypt(e, passphrase):
    # RFC 7914 scrypt over the passphrase's UTF-8 bytes after Unicode NFC normalization; 32 bytes for AES-256.
    # It needs 128 × N × r bytes (128 MiB at Keyrack's N = 2^17, r = 8); maxmem allows twice that, as Keyrack's own reader does.
    key = hashlib.scrypt(
        unicodedata.normalize("NFC", passphrase).encode("utf-8"),
        salt=base64url(e["salt"]), n=e["N"], r=e["r"], p=e["p"], dklen=32, maxmem=256 * e["N"] * e["r"] + 2**20,
    )
    # The header is authenticated: this exact JSON array, no spaces, in this order, from the envelope's values.
    aad = json.dumps(
        [e["type"], e["version"], e["content"], e["kdf"], e["N"], e["r"], e["p"], e["salt"], e["cipher"]],
        separators=(",", ":"), ensure_ascii=False,
    ).encode("utf-8")
    try:
        # This library takes the ciphertext with the 16-byte tag appended.
        return AESGCM(key).decrypt(base64url(e["iv"]), base64url(e["ciphertext"]) + base64url(e["tag"]), aad)
    except InvalidTag:
        # GCM cannot tell a wrong passphrase from a changed file: both fail the authentication tag.
        fail(1, "The passphrase is wrong, or the file was changed after it was encrypted.")


def read_passphrase():
    if sys.stdin.isatty():
        return getpass.getpass("Passphrase: ")
    try:
        text = sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError:
        fail(2, "the passphrase on standard input is not UTF-8")
    return re.sub(r"\r?\n\Z", "", text)


def main(argv):
    if len(argv) not in (1, 2):
        fail(2, "usage: python3 open_credential_file.py FILE [OUT]")
    envelope = read_envelope(argv[0])
    plaintext = decrypt(envelope, read_passphrase())
    if len(argv) == 2:
        out = argv[1]
        try:
            # O_EXCL: create, never replace; 0o600: the owner alone may read the secret.
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            fail(2, f"cannot write {out}: it already exists")
        except OSError as error:
            fail(2, f"cannot write {out}: {error.strerror}")
        with os.fdopen(fd, "wb") as f:
            f.write(plaintext)
        kind = "JSON" if envelope["content"] == "json" else ".env"
        print(f"Wrote {out} ({kind}).", file=sys.stderr)
    else:
        sys.stdout.buffer.write(plaintext)


if __name__ == "__main__":
    main(sys.argv[1:])
