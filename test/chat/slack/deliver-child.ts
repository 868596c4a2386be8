/**
 * A delivering process for crash.test.ts: opens the data dir's database and drains one channel through
 * the real Slack gateway. The test kills it with SIGKILL while Slack holds its post.
 */
import { deliver } from '../../../jobs/deliver.ts';
import { memoryLocks, memoryRateLimiter } from '../../../src/chat/limits.ts';
import { createSlackDelivery } from '../../../src/chat/slack/index.ts';
import { silentLogger } from '../../../src/log.ts';
import { createChatStore } from '../../../src/store/chat.ts';
import { openDb } from '../../../src/store/db.ts';
import { createStores } from '../../../src/store/index.ts';

const db = await openDb({ dataDir: process.env.FR_DIR! });
const stores = createStores(db);
const logger = silentLogger();
const gateway = createSlackDelivery({ botToken: 'xoxb-child', apiUrl: process.env.FR_API!, logger });
process.send?.('ready');
await deliver({
  chat: createChatStore(db), newsroom: stores.newsroom, gateways: { slack: gateway }, limiter: memoryRateLimiter(), locks: memoryLocks(),
  logger, now: () => new Date(), notifyAdmins: async () => {}, deliverLater: async () => {},
}, { platform: 'slack', workspaceId: 'T1', channelId: 'CKILL' });
process.send?.('finished');
