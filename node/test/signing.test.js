'use strict';
// The 20 official-SDK signing vectors and the two documented examples, through signV1 / signV3, stage by stage.

const assert = require('node:assert/strict');
const util = require('node:util');
const { test } = require('node:test');
const aliprefetch = require('..');
const { load } = require('./helpers');

const V1_COMMON = new Set(['Action', 'Version', 'Format', 'AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'Signature', 'SecurityToken', 'SignatureType']);
// Headers the official client sent itself that the V3 signer adds on its own.
const V3_OWN = new Set(['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-accesskey-id', 'x-acs-security-token', 'Authorization']);

const doc = load('tests/vectors/signing.json');
const fixed = doc.fixed_inputs;
/** Query parameters as a server reads them (form-decoded: `+` is a space). */
const query = (wirePath) => [...new URLSearchParams(wirePath.split('?')[1] ?? '')];

test('there are 20 vectors', () => assert.equal(doc.vectors.length, 20));

for (const v of doc.vectors) {
  test(`${v.mode} ${v.action} sts=${v.sts !== null}`, () => {
    const credentials = new aliprefetch.Credentials(fixed.access_key_id, fixed.access_key_secret, v.sts ?? undefined);
    const q = query(v.wire_path);
    if (v.mode === 'V1') {
      const sent = Object.fromEntries(q);
      const s = aliprefetch.signV1({
        method: v.wire_method,
        action: v.action,
        version: sent.Version,
        format: sent.Format,
        params: q.filter(([k]) => !V1_COMMON.has(k)),
        credentials,
        timestamp: fixed.timestamp,
        nonce: fixed.nonce,
      });
      assert.equal(s.canonicalizedQuery, v.signing.canonicalized_query, 'canonical query');
      assert.equal(s.stringToSign, v.signing.string_to_sign, 'string to sign');
      assert.equal(s.signature, v.signing.signature);
      assert.equal(s.signature, sent.Signature, 'the signature on the wire');
      for (const [k, value] of s.params) if (k !== 'Format') assert.equal(sent[k], value, k);
    } else {
      const headers = v.wire_headers;
      const names = headers.Authorization.split('SignedHeaders=')[1].split(',')[0].split(';');
      const s = aliprefetch.signV3({
        method: v.wire_method,
        host: headers.host,
        action: v.action,
        version: headers['x-acs-version'],
        query: q,
        headers: Object.entries(headers).filter(([k]) => !V3_OWN.has(k)),
        body: v.wire_body,
        signedHeaders: names,
        credentials,
        timestamp: fixed.timestamp,
        nonce: fixed.nonce,
      });
      assert.equal(s.canonicalRequest, v.signing.canonical_request, 'canonical request');
      assert.equal(s.stringToSign, v.signing.string_to_sign, 'string to sign');
      assert.equal(s.authorization, v.signing.authorization);
      assert.equal(s.authorization, headers.Authorization);
      for (const [k, value] of s.headers) if (k !== 'authorization') assert.equal(headers[k], value, k);
    }
    assert.ok(!util.inspect(credentials).includes(fixed.access_key_secret));
  });
}

test('the documented examples', () => {
  const [v1, v3] = load('tests/vectors/documented.json').anchors;
  const p = v1.signed_params;
  const s1 = aliprefetch.signV1({
    method: v1.method,
    action: p.Action,
    version: p.Version,
    format: p.Format,
    params: [],
    credentials: { accessKeyId: v1.access_key_id, accessKeySecret: v1.access_key_secret },
    timestamp: p.Timestamp,
    nonce: p.SignatureNonce,
  });
  assert.equal(s1.signature, 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  const h = v3.headers;
  const s3 = aliprefetch.signV3({
    method: v3.method,
    path: v3.pathname,
    host: h.host,
    action: h['x-acs-action'],
    version: h['x-acs-version'],
    query: v3.query_params,
    credentials: { accessKeyId: v3.access_key_id, accessKeySecret: v3.access_key_secret },
    timestamp: h['x-acs-date'],
    nonce: h['x-acs-signature-nonce'],
  });
  assert.equal(s3.canonicalRequest, v3.canonical_request);
  assert.equal(s3.signature, 'e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804');
  assert.equal(s3.authorization, v3.authorization);
});
