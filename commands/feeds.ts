/** `/feeds list | add <url> [tier] | remove <id>` (admins): the feeds Frontera watches. */
import type { Command, CommandContext, Reply } from './types.ts';
import { chatOf, errorOf, isReply } from './chat-services.ts';

const TIERS = ['official', 'wire', 'outlet', 'commentary'];

export const feeds: Command = {
  name: 'feeds',
  description: 'List, add or remove watched feeds (admins)',
  usage: '/feeds list | add <url> [official|wire|outlet|commentary] | remove <id>',
  adminOnly: true,
  options: [
    { name: 'action', description: 'list, add or remove', type: 'string', choices: ['list', 'add', 'remove'].map((v) => ({ name: v, value: v })) },
    { name: 'target', description: 'Feed URL (add) or id (remove)', type: 'string' },
    { name: 'tier', description: 'Source tier for add', type: 'string', choices: TIERS.map((v) => ({ name: v, value: v })) },
  ],
  parse(text) {
    const [action = 'list', target, tier] = text.trim().split(/\s+/).filter(Boolean);
    if (!['list', 'add', 'remove'].includes(action)) return 'Use list, add <url> [tier] or remove <id>.';
    if (action === 'add' && !/^https?:\/\/\S+$/i.test(target ?? '')) return 'add needs an http(s) feed URL.';
    if (action === 'remove' && !/^\d+$/.test(target ?? '')) return 'remove needs a feed id (see /feeds list).';
    if (tier && !TIERS.includes(tier)) return `tier: one of ${TIERS.join(', ')}.`;
    return { action, ...(target ? { target } : {}), ...(tier ? { tier } : {}) };
  },
  run: (ctx) => runFeeds(ctx),
};

async function runFeeds({ args, deps }: CommandContext): Promise<Reply> {
  const chat = chatOf(deps);
  if (isReply(chat)) return chat;
  const admin = chat.feeds;
  if (!admin) return errorOf('Feed administration is not available here', 'Use `frontera feeds` on the server.');
  const action = String(args.action ?? 'list');
  if (action === 'add') {
    const r = await admin.add(String(args.target), args.tier ? String(args.tier) : undefined);
    if (r.error) return errorOf('That feed could not be added', r.error);
    return {
      kind: 'answer', ephemeral: true, title: r.created ? `Feed ${r.id} added` : `Feed ${r.id} was already watched`,
      text: r.created ? `${r.items} current item(s) stored as a silent baseline: only new items will be posted.` : undefined, sections: [],
    };
  }
  if (action === 'remove') {
    const ok = await admin.remove(Number(args.target));
    return ok ? { kind: 'answer', ephemeral: true, title: `Feed ${args.target} removed`, sections: [] } : errorOf(`No feed ${args.target}`, 'See /feeds list.');
  }
  const list = await admin.list();
  return {
    kind: list.length ? 'answer' : 'empty', ephemeral: true, title: `${list.length} feed(s)`,
    sections: [{ lines: list.map((f) => ({
      text: `${f.id}. ${f.name ?? f.url} [${f.tier}] ${f.status}${f.lastError ? ` — ${f.lastError}` : ''}`,
      links: /^https?:/i.test(f.url) ? [{ url: f.url, label: 'feed' }] : [],
    })) }],
  };
}
