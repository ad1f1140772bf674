// Exercises the whole public API's types; `tsc -p tsconfig.json` (strict) checks it in ./scripts/test.
import {
  AliPrefetchError,
  Client,
  Credentials,
  Emulator,
  InvalidInputError,
  TimeoutError,
  signV3,
  type PreloadReport,
  type PreloadTask,
  type Progress,
} from 'aliprefetch';

export async function everything(): Promise<void> {
  const emu = await Emulator.start({ fixtures: { live: { preload: { seconds_to_complete: 1 } } }, seed: 1 });
  const client = new Client({
    endpoint: emu.endpoint,
    credentials: emu.credentials,
    signatureVersion: 'v1',
    connectTimeoutMs: 1000,
    readTimeoutMs: 5000,
    retry: { maxAttempts: 5, baseDelayMs: 50 },
    rateLimits: { HotLiveRtcStream: 5 },
  });
  const onProgress = (p: Progress): void => console.log(`${p.done}/${p.total}`);
  const report: PreloadReport = await client.preloadLiveStreams('play.example.com', ['rtmp://h/a/s'], {
    area: 'overseas',
    start: new Date(Date.now() + 60_000),
    end: new Date(Date.now() + 3_600_000),
    onProgress,
  });
  const ids = report.items.flatMap((i) => (i.taskId === null ? [] : [i.taskId]));
  const tasks: PreloadTask[] = await client.waitForPreload('play.example.com', ids, { timeoutMs: 10_000 });
  const created: Date | null = tasks[0]?.createTime ?? null;
  for await (const task of client.preloadTasks({ domainName: 'play.example.com', status: 'complete', pageSize: 50 })) {
    console.log(task.taskId, task.process);
  }
  const page = await client.describeLiveStreamPreloadTasks({ domainName: 'play.example.com', startTime: new Date(0) });
  console.log(page.totalNum, created);
  await client.setLiveStreamPreloadTasks({ domainName: 'play.example.com', playUrls: 'rtmp://h/a/1,rtmp://h/a/2' });
  await client.hotLiveRtcStream({
    domainName: 'play.example.com',
    appName: 'live',
    streamName: 's',
    regionCode: 'ZHJ',
    audioMsid: 'rts audio',
    videoMsid: 'rts video',
    connectionTimeout: 30_000,
  });
  const relay = await client.updateLivePullToPush({ taskId: 't', region: 'cn-beijing', repeatNumber: -1, offset: 5 });
  console.log(relay.retCode);
  const media = await client.refreshMediaPlayUrls({ mediaIds: ['m'], taskType: 'Preload', formats: ['mp4'], sliceCount: 3 });
  console.log(media.nonExistMediaIds.length);
  const purge = await client.refreshMedia(['m'], { definitions: ['HD', '4K'], onProgress });
  console.log(purge.items[0]?.outcome);
  const answer = await client.call('DescribeLiveStreamsOnlineList', { service: 'live', params: { DomainName: 'd' } });
  console.log(answer['RequestId']);
  const signed = await client.presign('HotLiveRtcStream', { domainName: 'd' });
  console.log(signed.url, signed.headers.length);
  const v3 = signV3({
    method: 'POST',
    host: 'live.aliyuncs.com',
    action: 'A',
    version: '2016-11-01',
    query: { A: 'b' },
    credentials: new Credentials('id', 'secret'),
    timestamp: new Date(),
    nonce: 'n',
  });
  console.log(v3.authorization.length, client.region);
  try {
    await client.setLiveStreamPreloadTasks({ domainName: 'd', playUrls: [] });
  } catch (e) {
    if (e instanceof InvalidInputError) console.log(e.field, e.rule);
    else if (e instanceof TimeoutError || e instanceof AliPrefetchError) console.log(e.kind, e.code, e.requestId);
  }
  emu.advance('1s');
  console.log(emu.now().toISOString());
  await emu.stop();
}
