import { Client, Emulator, InvalidInputError } from 'aliprefetch';

// A local emulator stands in for the cloud. With an account, drop it, `endpoint` and `credentials`:
// the default chain (environment, ~/.aliyun, ~/.alibabacloud, ECS role) applies.
const emu = await Emulator.start({ fixtures: { live: { preload: { seconds_to_complete: 1 } } } });
const client = new Client({ endpoint: emu.endpoint, credentials: emu.credentials });

// Warm the CDN for 250 streams: requests of 100, paced under the quota, every URL reported once.
const urls = Array.from({ length: 250 }, (_, i) => `rtmp://play.example.com/live/stream${i + 1}`);
const report = await client.preloadLiveStreams('play.example.com', urls, { area: 'domestic' });
const created = report.items.filter((item) => item.succeeded);
console.log(`${created.length} of ${report.items.length} URLs have a prefetch task (${report.requests} requests)`);

// Wait until every task is complete or failed, then read them back page by page.
const ids = created.flatMap((item) => (item.taskId === null ? [] : [item.taskId]));
await client.waitForPreload('play.example.com', ids, { pollIntervalMs: 500 });
let complete = 0;
for await (const task of client.preloadTasks({ domainName: 'play.example.com' })) {
  if (task.status === 'complete') complete += 1;
}
console.log(`${complete} tasks complete`);

// Bad input is refused before anything is sent, naming the field and the rule.
try {
  await client.setLiveStreamPreloadTasks({ domainName: 'play.example.com', playUrls: ['https://cdn.example.com/s.m3u8'] });
} catch (e) {
  if (e instanceof InvalidInputError) console.log(`refused: ${e.field} (${e.rule})`);
}
await emu.stop();
