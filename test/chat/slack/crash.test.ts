/**
 * Exactly once across a real crash: a delivering process is killed with SIGKILL after Slack stored its
 * alert but before the answer came back (so nothing was recorded). A new process, once the dead one's
 * claim has lapsed, finds the alert by its metadata and records it instead of posting it again.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { deliver } from '../../../jobs/deliver.ts';
import { publishStory } from '../../../jobs/publish-story.ts';
import { memoryLocks, memoryRateLimiter } from '../../../src/chat/limits.ts';
import { createSlackDelivery } from '../../../src/chat/slack/index.ts';
import { silentLogger } from '../../../src/log.ts';
import { createChatStore } from '../../../src/store/chat.ts';
import { openDb } from '../../../src/store/db.ts';
import { createStores } from '../../../src/store/index.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { startFakeSlack } from '../../fakes/slack-api.ts';
import { seedStory } from '../seed.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-crash-'));
const C = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'CKILL' };
const logger = silentLogger();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a delivering process killed mid-post', () => {
  it('leaves no duplicate after a restart', async () => {
    const slack = await startFakeSlack();
    try {
      // Before: a subscribed channel and one story decided for it.
      let db = await openDb({ dataDir: dir });
      await migrate(db);
      let stores = createStores(db);
      await createChatStore(db).saveSubscription(C, {}, 'U1');
      const a = await seedStory(stores, 'kill1', 'Story posted by a process that then died');
      await publishStory({ chat: createChatStore(db), newsroom: stores.newsroom, now: () => new Date(), logger, deliver: async () => {} }, { storyId: 'kill1', articleId: a });
      await db.close();

      // The delivering process posts; Slack stores the alert and holds the answer; the process is killed.
      slack.fail('chat.postMessage', { hang: true });
      const child = fork(path.join(here, 'deliver-child.ts'), [], {
        execArgv: ['--import', 'tsx'], env: { ...process.env, FR_DIR: dir, FR_API: slack.apiUrl }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await slack.waitForMessages(1, 60_000);
      child.kill('SIGKILL');
      await exited;

      // Restart, after the dead process's claim has lapsed.
      db = await openDb({ dataDir: dir });
      stores = createStores(db);
      const chat = createChatStore(db);
      expect(await chat.byKey(C, 'alert:kill1')).toMatchObject({ outcome: 'pending', uncertain: true, messageId: null });
      const later = new Date(Date.now() + 10 * 60_000);
      await deliver({
        chat, newsroom: stores.newsroom, gateways: { slack: createSlackDelivery({ botToken: 'xoxb-t', apiUrl: slack.apiUrl, logger }) },
        limiter: memoryRateLimiter(), locks: memoryLocks(), logger, now: () => later, notifyAdmins: async () => {}, deliverLater: async () => {},
      }, C);
      expect(slack.messages('CKILL')).toHaveLength(1);
      expect(await chat.byKey(C, 'alert:kill1')).toMatchObject({ outcome: 'delivered', messageId: slack.messages('CKILL')[0]!.ts, reason: expect.stringContaining('found already posted') });
      await db.close();
    } finally {
      await slack.close();
    }
  }, 120_000);
});
