/**
 * Alert, thread-update and digest documents -> one Discord embed each. Footers carry what findPosted
 * looks for in history: "story <id>" on alerts (one per story per channel), "ref <code>" (from the
 * post's nonce) on reports and digests, since Discord does not return nonces when history is read.
 */
import { createHash } from 'node:crypto';
import type { APIEmbed } from 'discord.js';
import type { AlertDocument, DigestDocument, ThreadUpdateDocument } from '../types.ts';
import { escapeLine, escapeText, link, plainLine, safeUrl, truncate } from './escape.ts';
import { COLORS, LIMITS } from './limits.ts';
import { chunkLines } from './reply.ts';

const IMPORTANCE_LABEL = { routine: 'Routine', notable: 'Notable', breaking: 'BREAKING' } as const;

/** The footer marker for a story; findPosted matches it exactly. */
export function storyMarker(storyId: string): string {
  return `story ${storyId}`;
}

/** The footer marker for one post: a short hash of its nonce (two nonces never share a prefix problem). */
export function refMarker(nonce: string): string {
  return `ref ${createHash('sha256').update(nonce).digest('base64url').slice(0, 10)}`;
}

/** The whole footer of a story's alert; findPosted matches it exactly. */
export function alertFooter(storyId: string): string {
  return `Frontera · ${storyMarker(storyId)}`;
}

/** The embed for a story alert, as of `alert.updatedAt`. */
export function renderAlert(alert: AlertDocument): APIEmbed {
  const bullets = alert.bullets.map((b) => {
    const links = b.links.map((l) => link(l.label, l.url));
    return `• ${escapeText(b.text)}${links.length ? ` · ${links.join(' · ')}` : ''}`;
  });
  const fields = [];
  if (alert.actors.length) fields.push({ name: 'Actors', value: listValue(alert.actors.map(escapeLine)), inline: true });
  if (alert.topics.length) fields.push({ name: 'Topics', value: listValue(alert.topics.map(escapeLine)), inline: true });
  if (alert.sources.length) {
    const lines = alert.sources.map((s) => `${link(s.label, s.url)}${s.language ? ` (${escapeLine(s.language)})` : ''}`);
    fields.push({ name: `Sources (${alert.sources.length})`, value: fitLines(lines, LIMITS.fieldValue), inline: false });
  }
  const author = [IMPORTANCE_LABEL[alert.importance], alert.reason].filter(Boolean).join(' · ');
  return {
    author: { name: plainLine(author, LIMITS.authorName) },
    title: truncate(escapeLine(alert.headline) || 'Untitled story', LIMITS.title),
    ...urlField(alert.url),
    description: chunkLines(bullets, 3000)[0] ?? '',
    fields,
    color: COLORS[alert.importance],
    footer: { text: alertFooter(alert.storyId) },
    timestamp: isoOrUndefined(alert.updatedAt),
  };
}

/**
 * The embed for a later report, posted in the alert's thread; `nonce` is the Discord nonce of the post.
 * A broadcast (material change) says why in its author line.
 */
export function renderThreadUpdate(update: ThreadUpdateDocument, nonce: string): APIEmbed {
  const lines = [];
  if (update.whatsNew) lines.push(escapeText(update.whatsNew));
  lines.push(link(update.source, update.url));
  return {
    author: { name: plainLine(update.broadcast ? `Update · ${update.reason ?? 'material change'}` : 'Later report', LIMITS.authorName) },
    title: truncate(escapeLine(update.title) || 'Untitled report', LIMITS.title),
    ...urlField(update.url),
    description: chunkLines(lines, 3000).join('\n').slice(0, LIMITS.description),
    color: COLORS.routine,
    footer: { text: `${plainLine(`${update.source} · ${storyMarker(update.storyId)}`, 200)} · ${refMarker(nonce)}` },
    timestamp: isoOrUndefined(update.published),
  };
}

/** The embed for a digest: one field per importance, each story a link. */
export function renderDigest(digest: DigestDocument, nonce: string): APIEmbed {
  const count = (n: number) => `${n} stor${n === 1 ? 'y' : 'ies'}`;
  const fields = digest.groups.filter((g) => g.count > 0).map((g) => ({
    name: `${IMPORTANCE_LABEL[g.importance]} (${g.count})`,
    value: fitLines(
      g.stories.map((st) => `• ${link(st.headline, st.url)}${st.sources > 1 ? ` · ${st.sources} sources` : ''}`),
      LIMITS.fieldValue,
    ) || '\u200b',
    inline: false,
  }));
  const from = isoOrUndefined(digest.from);
  const to = isoOrUndefined(digest.to);
  return {
    title: truncate(escapeLine(digest.title) || 'Digest', LIMITS.title),
    description: digest.total === 0 ? 'Nothing on the beat matched this channel in this period.' : `${count(digest.total)}${from && to ? ` from <t:${epoch(from)}:f> to <t:${epoch(to)}:f>` : ''}`,
    fields: fields.slice(0, LIMITS.fieldsPerEmbed),
    color: COLORS.answer,
    footer: { text: `Frontera digest · ${refMarker(nonce)}` },
    timestamp: to,
  };
}

function epoch(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A thread name from the headline: plain text, at most 100 characters. */
export function threadName(headline: string): string {
  return plainLine(headline, LIMITS.threadName) || 'Later reports';
}

function urlField(url: string): { url?: string } {
  const safe = safeUrl(url);
  return safe ? { url: safe } : {};
}

function listValue(items: string[]): string {
  return truncate(items.join(', '), LIMITS.fieldValue);
}

/** As many whole lines as fit in `max`, then "+N more". */
function fitLines(lines: string[], max: number): string {
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const more = `+${lines.length - i} more`;
    const line = lines[i]!;
    const room = max - used - (i < lines.length - 1 ? more.length + 1 : 0);
    if (line.length + 1 > room) {
      kept.push(more);
      return kept.join('\n');
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join('\n');
}

function isoOrUndefined(value: string): string | undefined {
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
