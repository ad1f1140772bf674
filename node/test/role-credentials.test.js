'use strict';
// Role credentials in Node with no code change: the RRSA variables ACK injects make the default chain
// assume the role through the emulator's STS; a bad token is a CredentialsError naming the provider.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const aliprefetch = require('..');
const { DOMAIN, withEmulator } = require('./helpers');

const ROLE = 'acs:ram::1234567890123456:role/prefetch';
const PROVIDER = 'acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1';
const FIXTURES = { sts: { roles: [ROLE], oidc_tokens: ['good-token'] } };

/** Runs `fn` with an empty home, no access key, no metadata service, and what RRSA injects. */
async function withRrsa(emu, token, fn) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aliprefetch-rrsa-'));
  const tokenFile = path.join(home, 'oidc-token');
  fs.writeFileSync(tokenFile, token);
  const vars = {
    HOME: home,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ALIBABA_CLOUD_STS_ENDPOINT: emu.endpoint,
    ALIBABA_CLOUD_ROLE_ARN: ROLE,
    ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER,
    ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
    ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
    ALIBABA_CLOUD_PROFILE: undefined,
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const stsCalls = (emu, outcome) =>
  emu.requestCounts().filter((c) => c.action === 'AssumeRoleWithOIDC' && c.outcome === outcome).reduce((n, c) => n + c.count, 0);

test('the default chain picks the OIDC role', () =>
  withEmulator(FIXTURES, (emu) =>
    withRrsa(emu, 'good-token', async () => {
      const client = new aliprefetch.Client({ endpoint: emu.endpoint }); // no credentials: the chain finds them
      await client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: [`rtmp://${DOMAIN}/rrsa/s1`] });
      assert.deepEqual(emu.tasks().map((t) => t.playUrl), [`rtmp://${DOMAIN}/rrsa/s1`]);
      assert.equal(stsCalls(emu, 'ok'), 1);
    })));

test('a bad OIDC token is a CredentialsError naming the provider', () =>
  withEmulator(FIXTURES, (emu) =>
    withRrsa(emu, 'stolen-token-123', async () => {
      const client = new aliprefetch.Client({ endpoint: emu.endpoint });
      await assert.rejects(client.describeLiveStreamPreloadTasks({ domainName: DOMAIN }), (e) => {
        assert.ok(e instanceof aliprefetch.CredentialsError, String(e));
        assert.match(e.message, /oidc_role_arn: STS AssumeRoleWithOIDC refused: AuthenticationFail\.OIDCToken\.Invalid/);
        assert.ok(!String(e).includes('stolen-token-123') && !JSON.stringify(e).includes('stolen-token-123'));
        return true;
      });
      assert.equal(stsCalls(emu, 'AuthenticationFail.OIDCToken.Invalid'), 1);
    })));

test('a profile gives its region unless the environment or an option does', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aliprefetch-profile-'));
  fs.mkdirSync(path.join(home, '.aliyun'));
  fs.writeFileSync(
    path.join(home, '.aliyun', 'config.json'),
    JSON.stringify({ current: 'main', profiles: [{ name: 'main', mode: 'AK', access_key_id: 'id', access_key_secret: 'secret', region_id: 'cn-beijing' }] }),
  );
  const saved = { HOME: process.env.HOME, ALIBABA_CLOUD_REGION_ID: process.env.ALIBABA_CLOUD_REGION_ID, ALIBABA_CLOUD_PROFILE: process.env.ALIBABA_CLOUD_PROFILE };
  try {
    process.env.HOME = home;
    delete process.env.ALIBABA_CLOUD_REGION_ID;
    delete process.env.ALIBABA_CLOUD_PROFILE;
    assert.equal(new aliprefetch.Client({}).region, 'cn-beijing');
    assert.equal(new aliprefetch.Client({ profile: 'main' }).region, 'cn-beijing');
    process.env.ALIBABA_CLOUD_REGION_ID = 'ap-southeast-1';
    assert.equal(new aliprefetch.Client({}).region, 'ap-southeast-1');
    assert.equal(new aliprefetch.Client({ region: 'cn-shenzhen' }).region, 'cn-shenzhen');
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(home, { recursive: true, force: true });
  }
});
