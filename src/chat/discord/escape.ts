/**
 * Making untrusted text (feed titles, bodies, actor names) safe for Discord: every markdown control
 * character is backslash-escaped and every mention form is broken with a zero-width space, so the text
 * shows literally and can never ping anyone, even if `allowed_mentions` were ever forgotten.
 *
 *   escapeText('@everyone [click](https://evil.example) <@&42>')
 *   // '@\u200beveryone \[click\]\(https://evil.example\) <\u200b@&42>'
 */

const ZWSP = '\u200b';

// Characters Discord markdown gives meaning anywhere in a line.
const INLINE = /[\\*_~`|[\]()]/g;
// Characters that only mean something at the start of a line: quotes, headings, lists, subtext.
const LINE_START = /^(\s*)(?:([>#-])|(\d+)\.)/gm;

/** Escapes markdown and neutralises mentions, custom emoji, timestamps and masked links. */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(INLINE, '\\$&')
    .replace(LINE_START, (_m, space: string, mark?: string, digits?: string) =>
      mark ? `${space}\\${mark}` : `${space}${digits}\\.`)
    // <@id>, <@!id>, <@&role>, <#channel>, <:emoji:id>, <a:emoji:id>, </cmd:id>, <t:123>, <id:guide>, <https://...>
    .replace(/<(?=[@#:/]|a:|t:|id:|https?:)/gi, `<${ZWSP}`)
    .replace(/@(?=(everyone|here)\b)/gi, `@${ZWSP}`);
}

/** One-line variant for titles, field names and thread names: newlines become spaces. */
export function escapeLine(text: string): string {
  return escapeText(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/** Plain text for places Discord never renders markdown (thread names, autocomplete labels). */
export function plainLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim().replace(/@(?=(everyone|here)\b)/gi, `@${ZWSP}`);
  return truncate(flat, max);
}

/** Cuts to `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  let cut = chars.slice(0, Math.max(0, max - 1)).join('');
  // Never leave a dangling escape backslash that would swallow the ellipsis.
  const trailing = /\\+$/.exec(cut);
  if (trailing && trailing[0].length % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** An http(s) URL safe to put inside `[label](url)` or an embed's url; null for anything else. */
export function safeUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}

/** A masked link whose label is escaped; the bare label when the URL is not http(s). */
export function link(label: string, url: string | undefined): string {
  const safe = safeUrl(url);
  const text = escapeLine(label) || 'link';
  return safe ? `[${text}](${safe})` : text;
}

/** Reverses escapeText, for tests and logs: what a reader sees. */
export function visibleText(rendered: string): string {
  return rendered.replace(/\\(.)/g, '$1').replaceAll(ZWSP, '');
}
