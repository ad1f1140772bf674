"""The 20 official-SDK signing vectors and the two documented examples, through sign_v1 / sign_v3,
stage by stage."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest

import aliprefetch
from conftest import load

V1_COMMON = {
    "Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce",
    "Timestamp", "Signature", "SecurityToken", "SignatureType",
}  # fmt: skip
# Headers the official client sent itself that the V3 signer adds on its own.
V3_OWN = {
    "host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256",
    "x-acs-accesskey-id", "x-acs-security-token", "Authorization",
}  # fmt: skip

DOC = load("tests/vectors/signing.json")
FIXED = DOC["fixed_inputs"]


def wire_query(path: str) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(path.split("?", 1)[1] if "?" in path else "", keep_blank_values=True)


@pytest.mark.parametrize(
    "vector", DOC["vectors"], ids=lambda v: f"{v['mode']} {v['action']} sts={v['sts'] is not None}"
)
def test_official_vector(vector: dict[str, Any]) -> None:
    assert len(DOC["vectors"]) == 20
    creds = aliprefetch.Credentials(FIXED["access_key_id"], FIXED["access_key_secret"], vector["sts"])
    query = wire_query(vector["wire_path"])
    signing = vector["signing"]
    if vector["mode"] == "V1":
        sent = dict(query)
        signed = aliprefetch.sign_v1(
            method=vector["wire_method"],
            action=vector["action"],
            version=sent["Version"],
            format=sent["Format"],
            params=[(k, v) for k, v in query if k not in V1_COMMON],
            credentials=creds,
            timestamp=FIXED["timestamp"],
            nonce=FIXED["nonce"],
        )
        assert signed.canonicalized_query == signing["canonicalized_query"]
        assert signed.string_to_sign == signing["string_to_sign"]
        assert signed.signature == signing["signature"] == sent["Signature"]
        for name, value in signed.params:
            if name != "Format":
                assert sent[name] == value, name
        assert signed.signature not in repr(signed)
    else:
        headers = vector["wire_headers"]
        authorization = headers["Authorization"]
        names = authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
        signed3 = aliprefetch.sign_v3(
            method=vector["wire_method"],
            host=headers["host"],
            action=vector["action"],
            version=headers["x-acs-version"],
            query=query,
            headers={k: v for k, v in headers.items() if k not in V3_OWN},
            body=vector["wire_body"].encode(),
            signed_headers=names,
            credentials=creds,
            timestamp=FIXED["timestamp"],
            nonce=FIXED["nonce"],
        )
        assert signed3.canonical_request == signing["canonical_request"]
        assert signed3.string_to_sign == signing["string_to_sign"]
        assert signed3.authorization == signing["authorization"] == authorization
        for name, value in signed3.headers:
            if name != "authorization":
                assert headers[name] == value, name
        assert signed3.signature not in repr(signed3)


def test_documented_examples() -> None:
    anchors = load("tests/vectors/documented.json")["anchors"]
    v1 = anchors[0]
    p = v1["signed_params"]
    signed = aliprefetch.sign_v1(
        method=v1["method"],
        action=p["Action"],
        version=p["Version"],
        format=p["Format"],
        params=[],
        credentials=aliprefetch.Credentials(v1["access_key_id"], v1["access_key_secret"]),
        timestamp=p["Timestamp"],
        nonce=p["SignatureNonce"],
    )
    assert signed.signature == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="

    v3 = anchors[1]
    h = v3["headers"]
    signed3 = aliprefetch.sign_v3(
        method=v3["method"],
        path=v3["pathname"],
        host=h["host"],
        action=h["x-acs-action"],
        version=h["x-acs-version"],
        query=v3["query_params"],
        credentials=aliprefetch.Credentials(v3["access_key_id"], v3["access_key_secret"]),
        timestamp=h["x-acs-date"],
        nonce=h["x-acs-signature-nonce"],
    )
    assert signed3.canonical_request == v3["canonical_request"]
    assert signed3.string_to_sign == v3["string_to_sign"]
    assert (
        signed3.signature
        == v3["documented_signature"]
        == "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804"
    )
    assert signed3.authorization == v3["authorization"]
