/**
 * Reply document -> Discord embeds, split into as many messages as Discord's limits need.
 * Every string from the Reply is plain text and is escaped here; links become masked links.
 *
 *   renderReply(reply)  // [[embed, embed], [embed]]: post the first, follow up with the rest
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Reply, ReplyLine, ReplySection } from '../../../commands/types.ts';
import { escapeLine, escapeText, link, plainLine, safeUrl, truncate } from './escape.ts';
import { COLORS, LIMITS } from './limits.ts';

// Headroom under the hard limits so a title and footer always fit beside a full description.
const DESCRIPTION_CHUNK = 4000;
const EMBED_BUDGET = 5400;
const FOOTER_MAX = 300;
/** More than this many messages means the command should have paged; the rest is cut with a note. */
export const MAX_MESSAGES = 4;

/** Renders a Reply as messages of embeds, each message within every Discord limit. */
export function renderReply(reply: Reply): APIEmbed[][] {
  const color = COLORS[reply.kind];
  const embeds: APIEmbed[] = [];
  const headLines = reply.text ? [escapeText(reply.text)] : [];
  embeds.push(...buildEmbeds({ title: reply.title, url: reply.url, color }, headLines, []));
  for (const section of reply.sections) embeds.push(...sectionEmbeds(section, color));
  if (reply.choices?.length) {
    const lines = reply.choices.map((c) => `• ${escapeLine(c.label)}: ${escapeLine(c.command)}`);
    embeds.push(...buildEmbeds({ title: 'Did you mean', color }, lines, []));
  }
  const footer = footerText(reply);
  if (footer) embeds[embeds.length - 1]!.footer = { text: footer };
  return packMessages(mergeSmall(embeds.filter(hasContent)));
}

/**
 * Folds an embed without a title into the one before it when that one has no fields yet and both fit,
 * so a headingless section reads as part of the answer instead of a second box.
 */
function mergeSmall(embeds: APIEmbed[]): APIEmbed[] {
  const out: APIEmbed[] = [];
  for (const e of embeds) {
    const prev = out[out.length - 1];
    const description = [prev?.description, e.description].filter(Boolean).join('\n\n');
    const fits = prev && !e.title && !prev.fields?.length && !prev.footer && description.length <= DESCRIPTION_CHUNK
      && embedSize(prev) + embedSize(e) + 2 <= EMBED_BUDGET;
    if (!fits) {
      out.push(e);
      continue;
    }
    if (description) prev.description = description;
    if (e.fields?.length) prev.fields = e.fields;
    if (e.footer) prev.footer = e.footer;
  }
  return out;
}

function footerText(reply: Reply): string | undefined {
  const parts: string[] = [];
  if (reply.footer) parts.push(reply.footer);
  if (reply.page && reply.page.count > 1) {
    parts.push(`Page ${reply.page.index} of ${reply.page.count}${reply.page.next ? ` · next: ${reply.page.next}` : ''}`);
  }
  // Footers do not render markdown, so they get plain text (mentions still broken).
  return parts.length ? plainLine(parts.join(' · '), FOOTER_MAX) : undefined;
}

function sectionEmbeds(section: ReplySection, color: number): APIEmbed[] {
  const lines: string[] = [];
  if (section.text) lines.push(escapeText(section.text));
  for (const line of section.lines ?? []) lines.push(renderLine(line));
  const fields = (section.fields ?? []).map((f) => ({
    name: truncate(escapeLine(f.name) || '\u200b', LIMITS.fieldName),
    value: truncate(escapeText(f.value) || '\u200b', LIMITS.fieldValue),
    inline: f.inline ?? false,
  }));
  return buildEmbeds({ title: section.heading, color }, lines, fields);
}

/** One bullet: text, date, learned marker, links. */
export function renderLine(line: ReplyLine): string {
  let out = `• ${escapeText(line.text)}`;
  if (line.date) out += ` (${escapeLine(line.date.slice(0, 10))})`;
  if (line.learned) out += ' (learned from the news)';
  const links = (line.links ?? []).filter((l) => safeUrl(l.url)).map((l) => link(l.label, l.url));
  if (links.length) out += ` · ${links.join(' · ')}`;
  return out;
}

interface Head {
  title?: string;
  url?: string;
  color: number;
}

/** Lines into descriptions of at most DESCRIPTION_CHUNK, then fields, splitting into continuation embeds. */
export function buildEmbeds(head: Head, lines: string[], fields: APIEmbedField[]): APIEmbed[] {
  const first: APIEmbed = { color: head.color };
  if (head.title) first.title = truncate(escapeLine(head.title), LIMITS.title);
  const url = safeUrl(head.url);
  if (url && first.title) first.url = url;
  const embeds: APIEmbed[] = [first];
  let current = first;
  for (const chunk of chunkLines(lines, DESCRIPTION_CHUNK)) {
    if (current.description !== undefined) {
      current = { color: head.color };
      embeds.push(current);
    }
    current.description = chunk;
  }
  for (const field of fields) {
    const size = field.name.length + field.value.length;
    if ((current.fields?.length ?? 0) >= LIMITS.fieldsPerEmbed || embedSize(current) + size > EMBED_BUDGET) {
      current = { color: head.color };
      embeds.push(current);
    }
    (current.fields ??= []).push(field);
  }
  return embeds;
}

/** Joins lines with newlines into chunks no longer than `max`; a single longer line is cut. */
export function chunkLines(lines: string[], max: number): string[] {
  const chunks: string[] = [];
  let cur = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (cur && cur.length + 1 + line.length > max) {
      chunks.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) chunks.push(cur);
  return chunks;
}

/** Characters Discord counts toward the 6,000 per-message total. */
export function embedSize(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function hasContent(e: APIEmbed): boolean {
  return Boolean(e.title || e.description || e.fields?.length || e.footer);
}

/** Groups embeds into messages of at most 10 embeds and 6,000 characters; cuts past MAX_MESSAGES. */
export function packMessages(embeds: APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let cur: APIEmbed[] = [];
  let size = 0;
  for (const e of embeds) {
    const n = embedSize(e);
    if (cur.length && (cur.length >= LIMITS.embedsPerMessage || size + n > LIMITS.charsPerMessage)) {
      messages.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(e);
    size += n;
  }
  if (cur.length) messages.push(cur);
  if (messages.length === 0) return [[{ color: COLORS.empty, description: 'Nothing to show.' }]];
  if (messages.length > MAX_MESSAGES) {
    const kept = messages.slice(0, MAX_MESSAGES);
    const last = kept[kept.length - 1]!;
    const note: APIEmbed = { color: COLORS.empty, description: 'The answer was cut here: it is too long for Discord. Narrow the question to see the rest.' };
    if (last.length < LIMITS.embedsPerMessage && last.reduce((s, e) => s + embedSize(e), 0) + embedSize(note) <= LIMITS.charsPerMessage) last.push(note);
    else last[last.length - 1] = note;
    return kept;
  }
  return messages;
}
