/**
 * Alert and thread-update documents -> one Discord embed each. The footer carries the story id
 * ("story <id>"): findPosted recognises our own alerts in channel history by it.
 */
import type { APIEmbed } from 'discord.js';
import type { AlertDocument, ThreadUpdateDocument } from '../types.ts';
import { escapeLine, escapeText, link, plainLine, safeUrl, truncate } from './escape.ts';
import { COLORS, LIMITS } from './limits.ts';
import { chunkLines } from './reply.ts';

const IMPORTANCE_LABEL = { routine: 'Routine', notable: 'Notable', breaking: 'BREAKING' } as const;

/** The footer marker for a story; findPosted matches it exactly. */
export function storyMarker(storyId: string): string {
  return `story ${storyId}`;
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
    footer: { text: `Frontera · ${storyMarker(alert.storyId)}` },
    timestamp: isoOrUndefined(alert.updatedAt),
  };
}

/** The embed for a later report, posted in the alert's thread. */
export function renderThreadUpdate(update: ThreadUpdateDocument): APIEmbed {
  const lines = [];
  if (update.whatsNew) lines.push(escapeText(update.whatsNew));
  lines.push(link(update.source, update.url));
  return {
    author: { name: 'Later report' },
    title: truncate(escapeLine(update.title) || 'Untitled report', LIMITS.title),
    ...urlField(update.url),
    description: chunkLines(lines, 3000).join('\n').slice(0, LIMITS.description),
    color: COLORS.routine,
    footer: { text: plainLine(`${update.source} · ${storyMarker(update.storyId)}`, 300) },
    timestamp: isoOrUndefined(update.published),
  };
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
