#!/usr/bin/env python3
"""Requests signed by Mastercard's official Python signer (`mastercard-oauth1-signer` on PyPI),
written to mastercard.json for tests/vectors.rs: the verifier (in Mastercard's convention) must
accept each, and the signer's Mastercard preset must build the same base string and, for the
deterministic RSA-SHA256, the same signature.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install mastercard-oauth1-signer==1.9.2
    /tmp/v/bin/python mastercard_cross_check.py

Only Mastercard's public API is called (`OAuth.get_authorization_header`), with the nonce and
timestamp fixed the way its own tests fix them (replacing `oauth1.coreutils.get_nonce` and
`get_timestamp`). The command and its output are in README.md beside this file.
"""
import json, pathlib
from importlib.metadata import version

from cryptography.hazmat.primitives import serialization
import oauth1.coreutils as util
from oauth1.oauth import OAuth, SignatureMethod

HERE = pathlib.Path(__file__).parent
KEY = serialization.load_pem_private_key((HERE.parent / "keys" / "rsa2048.pem").read_bytes(), password=None)
# Mastercard consumer keys look like this: 97 characters, a `!` in the middle.
CONSUMER_KEY = "Oy3Bxu8b3SJHMNoFHM6U5zg1aDtr6cD2qkfr5O6N1a3a0cbb!9a0b7e6a2b9a4c0a8b1f3e5d7c9a1b3c0000000000000000"
NOW = 1700000000


def case(name, method, url, body, signature_method, nonce):
    util.get_nonce = lambda length=16: nonce
    util.get_timestamp = lambda: NOW
    header = OAuth.get_authorization_header(url, method, body, CONSUMER_KEY, KEY, signature_method=signature_method)
    params = OAuth.get_oauth_parameters(url, method, body, CONSUMER_KEY, KEY, signature_method=signature_method)
    signed = dict(params.get_base_parameters_dict())
    del signed["oauth_signature"]
    return {
        "source": f"mastercard-oauth1-signer {version('mastercard-oauth1-signer')} (Python), "
                  "OAuth.get_authorization_header (mastercard_cross_check.py)",
        "name": name,
        "method": method,
        "url": url,
        "content_type": "application/json" if body is not None else None,
        "body": body,
        "authorization": header,
        "public_key": "rsa2048.crt.pem",
        "now": NOW,
        "base_string": OAuth.get_base_string(url, method, signed),
        "as_sent": True,
    }


cases = [
    case("mastercard-rsa-sha256-get", "GET", "https://sandbox.api.mastercard.com/fraud/merchant/v3/termination-inquiry?PageOffset=0&PageLength=10",
         None, SignatureMethod.RSA_SHA256, "uTeLPs6K5TmEVDia"),
    case("mastercard-rsa-sha256-post", "POST", "https://sandbox.api.mastercard.com/send/v1/partners/ptnr_1234/transfers/payment",
         '{"payment_transfer":{"transfer_reference":"4f9a1c2e","amount":"1000","currency":"USD"}}',
         SignatureMethod.RSA_SHA256, "4X2RNe2Ec4K4GBvh"),
    case("mastercard-rsa-pss-post", "POST", "https://sandbox.api.mastercard.com/send/v1/partners/ptnr_1234/transfers/payment",
         '{"payment_transfer":{"transfer_reference":"4f9a1c2e","amount":"1000","currency":"USD"}}',
         SignatureMethod.RSA_PSS_SHA256, "Pq0oQeXUBbR9CsJf"),
    case("mastercard-rsa-pss-get", "GET", "https://sandbox.api.mastercard.com/atms/v1/atm?Format=JSON&PageLength=10&PostalCode=11101",
         None, SignatureMethod.RSA_PSS_SHA256, "cUi3GWrVQ9k5ZPkM"),
]
out = HERE / "mastercard.json"
out.write_text(json.dumps({"verifications": cases}, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {out}")
for c in cases:
    print(f"{c['name']}:\n  Authorization: {c['authorization']}\n  base string: {c['base_string']}")
