"""A security key in software, for tests: it answers the browser's WebAuthn questions as a real key would.

The pages put allauth's WebAuthn options in `<script id="js_data" type="application/json">`; a real browser hands them
to the key and posts back what the key signs. `SoftwareSecurityKey` does the same with a real elliptic-curve key pair,
so allauth (and fido2 under it) verify real signatures.
"""

import hashlib
import json
import os
import re
from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from maca.accounts.tests.html_checks import ClientResponse

# WebAuthn needs a secure origin: the test client's requests go over "https" (secure=True) to testserver.
ORIGIN = "https://testserver"


def js_data(response: ClientResponse) -> dict[str, Any]:
    """The WebAuthn options a page gives the browser."""
    match = re.search(r'<script id="js_data" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "the page has no WebAuthn options"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


class SoftwareSecurityKey:
    def __init__(self, passkey: bool = False) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0
        self.passkey = passkey

    def _credential_ids(self) -> dict[str, str]:
        encoded = websafe_encode(self.credential_id)
        return {"id": encoded, "rawId": encoded, "type": "public-key"}

    def register(self, creation_options: dict[str, Any]) -> str:
        """The credential (as the JSON the page posts) for `navigator.credentials.create()`."""
        options = creation_options["publicKey"]
        client_data = CollectedClientData.create(type="webauthn.create", challenge=options["challenge"], origin=ORIGIN)
        credential_data = AttestedCredentialData.create(
            Aaguid.NONE, self.credential_id, ES256.from_cryptography_key(self.private_key.public_key())
        )
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(_rp_id_hash(options["rp"]["id"]), flags, self.counter, credential_data)
        attestation = AttestationObject.create("none", auth_data, {})
        credential = {
            **self._credential_ids(),
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
                "transports": ["usb"],
            },
            "authenticatorAttachment": "cross-platform",
            "clientExtensionResults": {"credProps": {"rk": self.passkey}},
        }
        return json.dumps(credential)

    def sign_in(self, request_options: dict[str, Any]) -> str:
        """The signed answer (as the JSON the page posts) for `navigator.credentials.get()`."""
        options = request_options["publicKey"]
        allowed = [item["id"] for item in options.get("allowCredentials", [])]
        assert websafe_encode(self.credential_id) in allowed, "the server does not ask for this key"
        client_data = CollectedClientData.create(type="webauthn.get", challenge=options["challenge"], origin=ORIGIN)
        self.counter += 1
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV
        auth_data = AuthenticatorData.create(_rp_id_hash(options["rpId"]), flags, self.counter)
        signature = self.private_key.sign(bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        credential = {
            **self._credential_ids(),
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": None,
            },
            "authenticatorAttachment": "cross-platform",
            "clientExtensionResults": {},
        }
        return json.dumps(credential)


def add_key(client: Client, key: SoftwareSecurityKey, name: str) -> Authenticator:
    """Adds a key through the page, as the browser's script does. The client must have just re-authenticated."""
    add = reverse("mfa_add_webauthn")
    page = client.get(add, secure=True)
    assert page.status_code == 200
    credential = key.register(js_data(page)["creation_options"])
    response = client.post(add, {"name": name, "credential": credential}, secure=True)
    assert response.status_code == 302, response
    return Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN, data__name=name).latest("pk")


def _rp_id_hash(rp_id: str) -> bytes:
    return hashlib.sha256(rp_id.encode()).digest()
