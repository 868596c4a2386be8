/** Shared pieces for the Discord tests: a logger that keeps its lines, and sample documents. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../../src/log.ts';
import type { AlertDocument, ChannelRef, ThreadUpdateDocument } from '../../../src/chat/types.ts';

/** A pino logger whose JSON lines are kept in `lines`. */
export function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const dest = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, dest), lines };
}

/** Feed text written to break things: mass mentions, user/role mentions, masked links, markdown. */
export const HOSTILE =
  '@everyone @here <@123456789012345678> <@&987654321098765432> [click here](https://evil.example/x) **bold** __u__ ||spoiler|| `code` # heading\n> quote\n- list <#555> <:e:123> <t:1700000000>';

export function channelRef(channelId: string, workspaceId = '1200000000000000001'): ChannelRef {
  return { platform: 'discord', workspaceId, channelId };
}

export function sampleAlert(over: Partial<AlertDocument> = {}): AlertDocument {
  return {
    storyId: 'st-42',
    headline: 'Mexico extradites cartel figures to the United States',
    url: 'https://news.example/extraditions',
    bullets: [
      { text: 'Mexico sent 26 prisoners to U.S. custody on Tuesday.', links: [{ label: 'Wire One', url: 'https://news.example/extraditions' }] },
      { text: 'El gobierno dijo que la decisión fue soberana.', links: [{ label: 'Diario Sur', url: 'https://diario.example/envio' }] },
    ],
    actors: ['Claudia Sheinbaum', 'Pam Bondi'],
    topics: ['extraditions'],
    sources: [
      { label: 'Wire One', url: 'https://news.example/extraditions', published: '2026-11-20T10:00:00Z', language: 'en' },
      { label: 'Diario Sur', url: 'https://diario.example/envio', published: '2026-11-20T10:05:00Z', language: 'es' },
    ],
    importance: 'notable',
    reason: 'new story',
    updatedAt: '2026-11-20T10:06:00Z',
    ...over,
  };
}

export function sampleUpdate(over: Partial<ThreadUpdateDocument> = {}): ThreadUpdateDocument {
  return {
    storyId: 'st-42',
    articleId: 'a-7',
    title: 'Prosecutors name the 26 transferred',
    url: 'https://third.example/names',
    source: 'Third Outlet',
    published: '2026-11-20T11:00:00Z',
    whatsNew: 'The list includes two former plaza bosses.',
    ...over,
  };
}
