/**
 * Block Kit layouts for replies, alerts, thread updates and digests. Input is plain text (feed text
 * included); everything goes through `mrkdwn`/`link` on the way in. Limits: 50 blocks, 3,000 characters
 * per section, 10 context elements, 75-character button labels.
 */
import type { Reply, ReplyLine } from '../../../commands/types.ts';
import type { AlertDocument, DigestDocument, ThreadUpdateDocument } from '../types.ts';
import { clip, link, mrkdwn } from './escape.ts';

// Block Kit objects are plain JSON; we keep our own loose type so no SDK type spreads.
export type Block = Record<string, unknown>;

export const ACTIONS = {
  share: 'frontera_share',
  run: 'frontera_run',
  mute: 'frontera_mute',
  unmute: 'frontera_unmute',
  sources: 'frontera_sources',
} as const;

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } });
const context = (texts: string[]): Block => ({ type: 'context', elements: texts.slice(0, 10).map((t) => ({ type: 'mrkdwn', text: clip(t, 3000) })) });
const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Block => ({
  type: 'button', text: { type: 'plain_text', text: clip(text, 75) }, action_id: actionId, value: value.slice(0, 2000), ...(style ? { style } : {}),
});
const EMOJI: Record<string, string> = { breaking: ':rotating_light:', notable: ':large_orange_diamond:', routine: ':small_blue_diamond:' };

function lineText(l: ReplyLine): string {
  const date = l.date ? `${mrkdwn(l.date.slice(0, 10))} · ` : '';
  const links = (l.links ?? []).map((k) => link(k.url, k.label)).join(' · ');
  return `• ${date}${mrkdwn(l.text)}${l.learned ? ' _(learned)_' : ''}${links ? ` (${links})` : ''}`;
}

/** Splits lines into sections of at most ~2,900 characters. */
function chunkLines(lines: string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const l of lines) {
    if (cur && cur.length + l.length + 1 > 2900) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${l}` : clip(l, 2900);
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * A command's reply. `commandLine` is what was run: an ephemeral reply gets a "Share in channel"
 * button carrying it (the share re-runs it and posts the answer for everyone).
 */
export function replyBlocks(reply: Reply, commandLine?: string): Block[] {
  const blocks: Block[] = [];
  const title = reply.kind === 'error' ? `:warning: ${mrkdwn(reply.title)}` : reply.url ? link(reply.url, reply.title) : mrkdwn(reply.title);
  blocks.push(section(`*${title}*${reply.text ? `\n${mrkdwn(reply.text)}` : ''}`));
  for (const s of reply.sections) {
    const head = s.heading ? `*${mrkdwn(s.heading)}*` : '';
    if (head || s.text) blocks.push(section([head, s.text ? mrkdwn(s.text) : ''].filter(Boolean).join('\n')));
    if (s.fields?.length) {
      for (let i = 0; i < s.fields.length; i += 10) {
        blocks.push({ type: 'section', fields: s.fields.slice(i, i + 10).map((f) => ({ type: 'mrkdwn', text: clip(`*${mrkdwn(f.name)}*\n${mrkdwn(f.value)}`, 2000) })) });
      }
    }
    for (const chunk of chunkLines((s.lines ?? []).map(lineText))) blocks.push(section(chunk));
  }
  const buttons: Block[] = [];
  for (const [i, c] of (reply.choices ?? []).slice(0, 20).entries()) buttons.push(button(c.label, `${ACTIONS.run}_${i}`, c.command));
  if (reply.page?.next) buttons.push(button(`Next page (${reply.page.index + 1}/${reply.page.count})`, `${ACTIONS.run}_next`, reply.page.next));
  if (reply.ephemeral && commandLine && reply.kind !== 'error') buttons.push(button('Share in channel', ACTIONS.share, commandLine, 'primary'));
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons.slice(0, 25) });
  if (reply.footer) blocks.push(context([mrkdwn(reply.footer)]));
  return fit(blocks);
}

/** Notification text for a reply (shown where blocks cannot be). */
export function replyText(reply: Reply): string {
  return clip(mrkdwn(`${reply.title}${reply.text ? `: ${reply.text}` : ''}`), 2900);
}

/** An alert: headline, bullets with their sources, actors, importance, and mute / sources buttons. */
export function alertBlocks(a: AlertDocument): Block[] {
  const blocks: Block[] = [];
  const reason = a.reason && a.reason !== 'new story' ? ` · ${mrkdwn(a.reason)}` : '';
  blocks.push(section(`${EMOJI[a.importance] ?? ''} *${link(a.url, a.headline)}*\n_${a.importance}${reason}_`));
  const bullets = a.bullets.map((b) => `• ${mrkdwn(b.text)}${b.links.length ? ` (${b.links.map((l) => link(l.url, l.label)).join(', ')})` : ''}`);
  for (const chunk of chunkLines(bullets)) blocks.push(section(chunk));
  const meta: string[] = [];
  if (a.actors.length) meta.push(`*Actors:* ${mrkdwn(a.actors.slice(0, 12).join(', '))}`);
  const shown = a.sources.slice(0, 8).map((s) => link(s.url, s.label));
  meta.push(`*Sources (${a.sources.length}):* ${shown.join(' · ')}${a.sources.length > shown.length ? ` and ${a.sources.length - shown.length} more` : ''}`);
  blocks.push(context(meta));
  blocks.push({ type: 'actions', block_id: `story:${a.storyId}`.slice(0, 255), elements: [
    button('See sources', ACTIONS.sources, a.storyId),
    button('Mute this story', ACTIONS.mute, a.storyId, 'danger'),
  ] });
  return fit(blocks);
}

export function alertText(a: AlertDocument): string {
  return clip(`[${a.importance}] ${mrkdwn(a.headline)}`, 2900);
}

/** A later report, posted in the alert's thread (and in the channel on a material change). */
export function threadBlocks(u: ThreadUpdateDocument): Block[] {
  const blocks: Block[] = [];
  if (u.broadcast && u.reason) blocks.push(section(`:rotating_light: *Update: ${mrkdwn(u.reason)}*`));
  blocks.push(section(`${link(u.url, u.title)}\n${mrkdwn(u.source)} · ${mrkdwn(u.published.slice(0, 16).replace('T', ' '))} UTC`));
  if (u.whatsNew) blocks.push(context([`*New:* ${mrkdwn(u.whatsNew)}`]));
  return blocks;
}

export function threadText(u: ThreadUpdateDocument): string {
  return clip(`${u.broadcast && u.reason ? `Update (${mrkdwn(u.reason)}): ` : ''}${mrkdwn(u.source)}: ${mrkdwn(u.title)}`, 2900);
}

/** A digest: groups by importance with counts, each story linked. */
export function digestBlocks(d: DigestDocument): Block[] {
  const blocks: Block[] = [section(`*${mrkdwn(d.title)}*: ${d.total} stor${d.total === 1 ? 'y' : 'ies'}`)];
  for (const g of d.groups) {
    const lines = g.stories.map((s) => `• ${link(s.url, s.headline)} (${s.sources} source${s.sources === 1 ? '' : 's'})`);
    const chunks = chunkLines([`${EMOJI[g.importance] ?? ''} *${g.importance} (${g.count})*`, ...lines]);
    for (const c of chunks) blocks.push(section(c));
  }
  blocks.push(context([`${mrkdwn(d.from.slice(0, 16).replace('T', ' '))} to ${mrkdwn(d.to.slice(0, 16).replace('T', ' '))} UTC`]));
  return fit(blocks);
}

/** Keeps at most 50 blocks; the last one says what was left out. */
function fit(blocks: Block[]): Block[] {
  if (blocks.length <= 50) return blocks;
  return [...blocks.slice(0, 49), context([`${blocks.length - 49} more block(s) not shown`])];
}
