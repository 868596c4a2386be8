/**
 * Reply → plain text for a terminal (the console and `frontera ask`). Feed text arrives unescaped in a
 * Reply; here it is only stripped of control characters, so nothing in an article can move the cursor,
 * clear the screen or fake a prompt.
 */
import type { Reply, ReplyLine, ReplyLink } from '../../../commands/types.ts';

// C0/C1 controls (escape sequences start with ESC), except the newline we add ourselves.
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line of feed or user text, safe to print. */
export function clean(text: string): string {
  return text.replace(CONTROLS, ' ').replace(/\n/g, ' ');
}

function links(list: ReplyLink[] | undefined): string {
  const ok = (list ?? []).filter((l) => /^https?:\/\//i.test(l.url));
  return ok.length ? `  <${ok.map((l) => `${clean(l.label)}: ${clean(l.url)}`).join(' · ')}>` : '';
}

function shortDate(date: string): string {
  // Date-times show as the day; pack dates (2025, 2025-06, ranges) as written.
  return /^\d{4}-\d{2}-\d{2}T/.test(date) ? date.slice(0, 10) : date;
}

function line(l: ReplyLine): string {
  const date = l.date ? `${shortDate(clean(l.date))}  ` : '';
  return `  • ${date}${clean(l.text)}${l.learned ? '  (learned)' : ''}${links(l.links)}`;
}

/** The whole reply as plain text, one block per section. */
export function renderReply(reply: Reply): string {
  const out: string[] = [];
  const mark = reply.kind === 'error' ? '! ' : '';
  out.push(`${mark}${clean(reply.title)}`);
  if (reply.url && /^https?:\/\//i.test(reply.url)) out.push(`  ${clean(reply.url)}`);
  if (reply.text) out.push(clean(reply.text));
  for (const s of reply.sections) {
    out.push('');
    if (s.heading) out.push(`── ${clean(s.heading)} ──`);
    if (s.text) out.push(clean(s.text));
    for (const f of s.fields ?? []) out.push(`  ${clean(f.name)}: ${clean(f.value)}`);
    for (const l of s.lines ?? []) out.push(line(l));
  }
  if (reply.choices?.length) {
    out.push('');
    reply.choices.forEach((c, i) => out.push(`  ${i + 1}. ${clean(c.label)}  →  ${clean(c.command)}`));
  }
  if (reply.page) {
    out.push('');
    out.push(`Page ${reply.page.index} of ${reply.page.count}${reply.page.next ? ` · next: ${clean(reply.page.next)}` : ''}`);
  }
  if (reply.footer) {
    out.push('');
    out.push(clean(reply.footer));
  }
  return out.join('\n');
}
