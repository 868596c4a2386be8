/** Escaping and embed rendering on their own: hostile text, limits, paging, links. */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../commands/types.ts';
import { renderAlert, renderThreadUpdate, threadName } from '../../../src/chat/discord/alerts.ts';
import { escapeText, safeUrl, visibleText } from '../../../src/chat/discord/escape.ts';
import { embedSize, MAX_MESSAGES, renderReply } from '../../../src/chat/discord/reply.ts';
import { adminCheck, type DiscordMember } from '../../../src/chat/discord/index.ts';
import { HOSTILE, sampleAlert, sampleUpdate } from './helpers.ts';

const CASES = [
  HOSTILE,
  '@everyone',
  '@HERE now',
  '<@!123> and <@&456> and <#789> and </brief:1> and <a:x:2> and <t:1:R> and <id:home>',
  '[safe looking](javascript:alert(1)) [x](https://evil.example "t")',
  '\\*not bold\\* ~~strike~~ ||spoil|| `tick` ```block```',
  '# Heading\n## two\n-# subtext\n> quote\n>>> block\n1. one\n- dash',
  'back\\slash at the end\\',
  'Sheinbaum dijo: «soberanía» — 26 trasladados',
];

describe('escapeText', () => {
  it.each(CASES)('shows %j literally and leaves nothing that pings or links', (text) => {
    const out = escapeText(text);
    expect(visibleText(out)).toBe(text.replace(/\r\n?/g, '\n'));
    expect(out).not.toMatch(/@(everyone|here)/i);
    expect(out).not.toMatch(/<(?:[@#:/]|a:|t:|id:)/);
    expect(out).not.toMatch(/(?<!\\)\]\(/);
    expect(out).not.toMatch(/(?<!\\)[*_~`|]/);
    expect(out).not.toMatch(/^(?:#|>|-)/m);
  });

  it('keeps plain bilingual text readable', () => {
    expect(escapeText('Sheinbaum dijo que México no aceptará')).toBe('Sheinbaum dijo que México no aceptará');
  });

  it('accepts only http(s) links and keeps them from breaking out of a masked link', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('ftp://x.example/')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl('https://x.example/a(b) c')).toBe('https://x.example/a%28b%29%20c');
  });
});

describe('renderReply', () => {
  const base: Reply = { kind: 'answer', title: 'Claudia Sheinbaum', url: 'https://gob.example/', text: 'President of Mexico.', sections: [], ephemeral: true };

  it('title, link, lead, sections with dated, linked and learned lines, fields, footer with the page', () => {
    const [[head, section, ...rest]] = renderReply({
      ...base,
      footer: 'Sources: beat pack',
      page: { index: 1, count: 3, next: '/timeline Sheinbaum page:2' },
      sections: [
        {
          heading: 'Roles',
          lines: [{ text: 'Became president', date: '2024-10-01T00:00:00Z', links: [{ label: 'Gob', url: 'https://gob.example/' }, { label: 'bad', url: 'javascript:x' }], learned: true }],
          fields: [{ name: 'Party', value: 'Morena', inline: true }],
        },
      ],
    }) as [[any, any, ...any[]]];
    expect(head).toMatchObject({ title: 'Claudia Sheinbaum', url: 'https://gob.example/', description: 'President of Mexico.' });
    expect(section.title).toBe('Roles');
    expect(section.description).toBe('• Became president (2024-10-01) (learned from the news) · [Gob](https://gob.example/)');
    expect(section.fields).toEqual([{ name: 'Party', value: 'Morena', inline: true }]);
    expect(section.footer.text).toBe('Sources: beat pack · Page 1 of 3 · next: /timeline Sheinbaum page:2');
    expect(rest).toEqual([]);
  });

  it('offers choices as the command lines to run', () => {
    const [[, choices]] = renderReply({ ...base, kind: 'choices', choices: [{ label: 'Omar García Harfuch', command: '/brief Omar García Harfuch' }] }) as [[any, any]];
    expect(choices.title).toBe('Did you mean');
    expect(visibleText(choices.description)).toBe('• Omar García Harfuch: /brief Omar García Harfuch');
  });

  it('cuts an answer too long for Discord after a few messages, and says so', () => {
    const lines = Array.from({ length: 400 }, (_, i) => ({ text: `Line ${i} ${'x'.repeat(200)}` }));
    const messages = renderReply({ ...base, sections: [{ heading: 'Everything', lines }] });
    expect(messages).toHaveLength(MAX_MESSAGES);
    for (const m of messages) expect(m.reduce((n, e) => n + embedSize(e), 0)).toBeLessThanOrEqual(6000);
    expect(messages.at(-1)!.at(-1)!.description).toContain('The answer was cut here');
  });

  it('an empty reply still renders one embed', () => {
    expect(renderReply({ kind: 'empty', title: '', sections: [], ephemeral: true })).toEqual([[{ color: expect.any(Number), description: 'Nothing to show.' }]]);
  });
});

describe('renderAlert and renderThreadUpdate', () => {
  it('stays within embed limits with oversized feed text', () => {
    const e = renderAlert(sampleAlert({
      headline: 'H'.repeat(1000),
      bullets: Array.from({ length: 20 }, () => ({ text: 'b'.repeat(800), links: [{ label: 'L', url: 'https://x.example/' }] })),
      actors: Array.from({ length: 200 }, (_, i) => `Actor ${i}`),
      sources: Array.from({ length: 80 }, (_, i) => ({ label: `Outlet ${i}`, url: `https://o${i}.example/story`, published: '2026-11-20T10:00:00Z' })),
    }));
    expect(e.title!.length).toBeLessThanOrEqual(256);
    expect(e.description!.length).toBeLessThanOrEqual(4096);
    for (const f of e.fields!) expect(f.value.length).toBeLessThanOrEqual(1024);
    expect(e.fields!.find((f) => f.name === 'Sources (80)')!.value).toMatch(/\+\d+ more$/);
    expect(embedSize(e)).toBeLessThanOrEqual(6000);
  });

  it('drops a non-http headline link and keeps the story marker in the footer', () => {
    const e = renderAlert(sampleAlert({ url: 'javascript:alert(1)' }));
    expect(e.url).toBeUndefined();
    expect(e.footer!.text).toBe('Frontera · story st-42');
    const u = renderThreadUpdate(sampleUpdate(), 'abcdefghijklmnopqrstuvwxy');
    expect(u.footer!.text).toMatch(/^Third Outlet · story st-42 · ref [\w-]{10}$/);
    expect(u.author!.name).toBe('Later report');
    expect(renderThreadUpdate(sampleUpdate({ broadcast: true, reason: 'became breaking' }), 'n').author!.name).toBe('Update · became breaking');
    expect(u.url).toBe('https://third.example/names');
  });

  it('thread names are one plain line of at most 100 characters', () => {
    expect(threadName(`@everyone ${'x'.repeat(200)}\nsecond line`)).toHaveLength(100);
    expect(threadName('@everyone look')).not.toMatch(/@everyone/);
    expect(threadName('   ')).toBe('Later reports');
  });
});

describe('adminCheck', () => {
  const member = (over: Partial<DiscordMember> = {}): DiscordMember => ({ userId: '1', guildId: '9', roleIds: [], canManageGuild: false, ...over });

  it('without Discord entries, Manage Server makes an admin', () => {
    const check = adminCheck(['slack:U1']);
    expect(check(member({ canManageGuild: true }))).toBe(true);
    expect(check(member())).toBe(false);
  });

  it('with Discord entries, only the listed users and roles are admins', () => {
    const check = adminCheck(['discord:42', 'discord-role:77']);
    expect(check(member({ userId: '42' }))).toBe(true);
    expect(check(member({ roleIds: ['5', '77'] }))).toBe(true);
    expect(check(member({ canManageGuild: true }))).toBe(false);
  });
});
