import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../commands/types.ts';
import { alertBlocks, replyBlocks, type Block } from '../../../src/chat/slack/blocks.ts';
import { link, mrkdwn, visible } from '../../../src/chat/slack/escape.ts';
import type { AlertDocument } from '../../../src/chat/types.ts';

const HOSTILE = '@everyone @here @channel <!channel> <!subteam^S1> <@U123> <#C1> <https://evil.example|click here> *b* _i_ ~s~ `c` ```pre``` &amp; > quote';

function texts(blocks: Block[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

describe('Slack escaping', () => {
  it('shows feed text literally: no mention, link or formatting survives', () => {
    const m = mrkdwn(HOSTILE);
    expect(m).not.toMatch(/<|>/);
    expect(m).not.toMatch(/@(everyone|here|channel)/);
    expect(visible(m)).toBe(HOSTILE);
  });

  it('drops links that are not http(s) and escapes the label', () => {
    expect(link('javascript:alert(1)', 'x <!here>')).toBe('x &lt;!here&gt;');
    expect(link('https://ok.example/a?b=1&c=2', 'Outlet|<@U1>')).toBe('<https://ok.example/a?b=1&amp;c=2|Outlet|&lt;@U1&gt;>');
  });
});

describe('Block Kit layouts', () => {
  it('keeps a long reply within Slack limits, with the share button and choices', () => {
    const reply: Reply = {
      kind: 'answer', title: HOSTILE, url: 'https://news.example/x', text: HOSTILE, ephemeral: true,
      sections: Array.from({ length: 40 }, (_, i) => ({
        heading: `Section ${i}`, text: 'x'.repeat(5000),
        fields: Array.from({ length: 12 }, (_, j) => ({ name: `f${j}`, value: HOSTILE })),
        lines: Array.from({ length: 30 }, (_, k) => ({ text: `${HOSTILE} ${k} ${'y'.repeat(300)}`, date: '2026-01-02', links: [{ url: 'https://a.example', label: HOSTILE }] })),
      })),
      choices: [{ label: 'A very long label '.repeat(10), command: '/brief A' }],
      footer: HOSTILE,
    };
    const blocks = replyBlocks(reply, '/latest');
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      if (b.type === 'section' && b.text) expect((b.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
      if (b.type === 'section' && b.fields) expect((b.fields as unknown[]).length).toBeLessThanOrEqual(10);
    }
    const raw = texts(blocks).join('\n');
    expect(raw).not.toMatch(/<!|<@|<#|<https:\/\/evil/);
    const actions = JSON.stringify(replyBlocks({ ...reply, sections: [] }, '/latest'));
    expect(actions).toContain('"action_id":"frontera_share"');
    expect(actions).toContain('"value":"/brief A"');
  });

  it('renders an alert with its sources, actors and the mute and sources buttons', () => {
    const alert: AlertDocument = {
      storyId: 'st1', headline: HOSTILE, url: 'https://news.example/1', importance: 'breaking', actors: ['<@U9>', 'CJNG'], topics: [],
      bullets: [{ text: HOSTILE, links: [{ label: 'Wire', url: 'https://news.example/1' }] }],
      sources: Array.from({ length: 12 }, (_, i) => ({ label: `Outlet ${i}`, url: `https://o${i}.example/`, published: '2026-01-01T00:00:00Z' })),
      updatedAt: '2026-01-01T00:00:00Z',
    };
    const blocks = alertBlocks(alert);
    const raw = texts(blocks).join('\n');
    expect(raw).not.toMatch(/<!|<@|<https:\/\/evil/);
    expect(visible(raw)).toContain(HOSTILE);
    expect(raw).toContain('and 4 more');
    const ids = JSON.stringify(blocks);
    expect(ids).toContain('frontera_mute');
    expect(ids).toContain('frontera_sources');
  });
});
