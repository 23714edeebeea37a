#!/usr/bin/env python3
"""RSA-PSS against an independent implementation: Python's `cryptography`.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install cryptography
    /tmp/v/bin/python pss_cross_check.py generate      # writes rsa_pss.json
    oauth1 sign --json … | /tmp/v/bin/python pss_cross_check.py verify

`generate` builds the signature base string of fixed requests straight from RFC 5849 §3.4.1 and
signs it with RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt), the parameters Mastercard's signers
use; tests/vectors.rs checks that oauth1-core's verifier accepts each request and that its signer
builds the same base string. `verify` checks a signature oauth1-core made (the JSON of
`oauth1 sign --json`) with `cryptography`. The commands run and their output are in
README.md beside this file.
"""
import base64, json, pathlib, sys

import cryptography
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HERE = pathlib.Path(__file__).parent
KEYS = HERE.parent / "keys"
PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def enc(s):
    return quote(s.encode("utf-8"), safe="-._~")


def base_string(method, base_uri, params):
    pairs = sorted((enc(k), enc(v)) for k, v in params)
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    return "&".join([method.upper(), enc(base_uri), enc(normalized)])


def case(name, method, base_uri, query, oauth):
    key = serialization.load_pem_private_key((KEYS / "rsa2048.pem").read_bytes(), password=None)
    sbs = base_string(method, base_uri, query + list(oauth.items()))
    signature = base64.b64encode(key.sign(sbs.encode(), PSS, hashes.SHA256())).decode()
    header = "OAuth " + ", ".join(f'{enc(k)}="{enc(v)}"' for k, v in list(oauth.items()) + [("oauth_signature", signature)])
    url = base_uri + ("?" + "&".join(f"{enc(k)}={enc(v)}" for k, v in query) if query else "")
    return {
        "source": f"Python cryptography {cryptography.__version__}, RSASSA-PSS SHA-256/MGF1-SHA-256/salt 32 (pss_cross_check.py)",
        "name": name,
        "method": method,
        "url": url,
        "authorization": header,
        "public_key": "rsa2048.pub.pem",
        "now": int(oauth["oauth_timestamp"]),
        "base_string": sbs,
    }


def generate():
    oauth = {
        "oauth_consumer_key": "pss-client",
        "oauth_nonce": "pssnonce1",
        "oauth_signature_method": "RSA-PSS",
        "oauth_timestamp": "1700000000",
        "oauth_version": "1.0",
    }
    cases = [
        case("rsa-pss-get", "GET", "https://api.example.com/v1/accounts", [("limit", "10"), ("q", "a b")], oauth),
        case("rsa-pss-token", "POST", "https://api.example.com/oauth/access", [],
             dict(oauth, oauth_token="tok 1", oauth_verifier="v!1", oauth_nonce="pssnonce2")),
    ]
    out = HERE / "rsa_pss.json"
    out.write_text(json.dumps({"verifications": cases}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


def verify():
    signed = json.load(sys.stdin)
    key = serialization.load_pem_public_key((KEYS / "rsa2048.pub.pem").read_bytes())
    key.verify(base64.b64decode(signed["signature"]), signed["base_string"].encode(), PSS, hashes.SHA256())
    print("verified by cryptography: RSASSA-PSS SHA-256, MGF1-SHA-256, salt 32")


if __name__ == "__main__":
    {"generate": generate, "verify": verify}[sys.argv[1]]()
