'use strict';
// The addon's promises: one thread-safe function per JS environment settles them. It must hold the event loop
// open exactly while calls are pending, reject a call whose future panics, and survive a worker thread that
// ends with a call in flight.

const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const { test } = require('node:test');
const aliprefetch = require('..');

const PACKAGE = path.resolve(__dirname, '..');

/** A TCP server on loopback that holds each connection for `holdMs`, then closes it without answering. */
async function silentServer(holdMs) {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (holdMs !== null) setTimeout(() => socket.destroy(), holdMs);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `127.0.0.1:${server.address().port}`,
    dropAll: () => sockets.forEach((s) => s.destroy()),
    close: () => new Promise((resolve) => server.close(resolve)),
    connections: () => sockets.size,
  };
}

/** Runs a script in a fresh Node process; resolves with its exit code, signal and output. */
function runNode(script, env) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', script],
      { timeout: 60_000, env: { ...process.env, ...env, ALIPREFETCH_PACKAGE: PACKAGE } },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, signal: error?.signal ?? null, stdout, stderr }),
    );
  });
}

test('a pending call alone keeps Node running until it settles, and Node then exits by itself', async () => {
  // The server closes each connection after 300 ms; the child has nothing else to wait for.
  const server = await silentServer(300);
  try {
    const script = `
      const { Client, Credentials } = require(process.env.ALIPREFETCH_PACKAGE);
      const client = new Client({ endpoint: process.env.ENDPOINT, credentials: new Credentials('testid', 'testsecret'),
        retry: { maxAttempts: 1 }, rateLimits: 'disabled' });
      client.describeLiveStreamPreloadTasks({ domainName: 'play.example.com' })
        .then(() => console.log('resolved'), (e) => console.log('rejected ' + e.kind));`;
    const run = await runNode(script, { ENDPOINT: server.endpoint });
    assert.equal(run.signal, null, run.stderr);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'rejected Transport', run.stderr);
  } finally {
    await server.close();
  }
});

test('a worker thread ending with a call in flight leaves the process and the main thread working', async () => {
  // The worker's first call settles inside the worker; its second hangs until the worker has been terminated,
  // then fails, with nowhere to settle. The main thread then calls (and settles) as usual, and the process exits.
  const server = await silentServer(null);
  try {
    const script = `
      const { Worker } = require('node:worker_threads');
      const { Client, Credentials } = require(process.env.ALIPREFETCH_PACKAGE);
      const options = { credentials: new Credentials('testid', 'testsecret'), retry: { maxAttempts: 1 }, rateLimits: 'disabled' };
      const worker = new Worker(\`
        const { parentPort } = require('node:worker_threads');
        const { Client, Credentials } = require(process.env.ALIPREFETCH_PACKAGE);
        const options = { credentials: new Credentials('testid', 'testsecret'), retry: { maxAttempts: 1 }, rateLimits: 'disabled' };
        new Client({ ...options, endpoint: '127.0.0.1:1' }).describeLiveStreamPreloadTasks({ domainName: 'play.example.com' })
          .catch((e) => {
            parentPort.postMessage('worker settled ' + e.kind);
            new Client({ ...options, endpoint: process.env.ENDPOINT }).describeLiveStreamPreloadTasks({ domainName: 'play.example.com' });
            setTimeout(() => parentPort.postMessage('in flight'), 200);
          });
      \`, { eval: true });
      worker.on('message', async (message) => {
        console.log(message);
        if (message !== 'in flight') return;
        await worker.terminate();
        console.log('terminated');
        // Lets the hung call fail now that its environment is gone.
        await fetch('http://' + process.env.CONTROL + '/drop').catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 200));
        await new Client({ ...options, endpoint: '127.0.0.1:1' }).describeLiveStreamPreloadTasks({ domainName: 'play.example.com' })
          .catch((e) => console.log('main settled ' + e.kind));
      });`;
    const control = require('node:http').createServer((req, res) => {
      server.dropAll();
      res.end('dropped');
    });
    await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));
    let run;
    try {
      run = await runNode(script, { ENDPOINT: server.endpoint, CONTROL: `127.0.0.1:${control.address().port}` });
    } finally {
      await new Promise((resolve) => control.close(resolve));
    }
    assert.equal(run.signal, null, run.stderr);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), [
      'worker settled Transport',
      'in flight',
      'terminated',
      'main settled Transport',
    ]);
    assert.equal(server.connections(), 0);
  } finally {
    await server.close();
  }
});

test('many calls settled together each settle their own promise', async () => {
  // 200 presigns in flight at once: their settlements are drained in batches; each keeps its own nonce.
  const client = new aliprefetch.Client({
    endpoint: '127.0.0.1:1',
    credentials: new aliprefetch.Credentials('testid', 'testsecret'),
  });
  const signed = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      client.presign('DescribeLiveStreamPreloadTasks', { DomainName: `d${i}.example.com` }),
    ),
  );
  signed.forEach((s, i) => assert.match(s.url, new RegExp(`DomainName=d${i}\\.example\\.com`)));
  const nonces = new Set(signed.map((s) => s.headers.find(([k]) => k === 'x-acs-signature-nonce')[1]));
  assert.equal(nonces.size, 200);
});

test("the emulator's stop() resolves with undefined, also the second time", async () => {
  const emu = await aliprefetch.Emulator.start();
  assert.equal(await emu.stop(), undefined);
  assert.equal(await emu.stop(), undefined);
});
