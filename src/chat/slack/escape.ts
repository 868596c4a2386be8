/**
 * Feed text into Slack mrkdwn, shown literally and pinging no one. Slack's markup lives in `<...>`
 * (links, <!channel>, <@U123>), so escaping &, < and > (Slack's own rule) turns every link and mention
 * into plain characters. Plain "@here"/"@channel"/"@everyone" only ping with link_names, which we never
 * set; a word joiner after the "@" makes sure. Formatting marks (* _ ~ `) get a zero-width space on
 * both sides so they cannot pair up into bold, italics, strike or code: the text reads the same.
 */

const ZWSP = '\u200b';
const WJ = '\u2060';

/** Plain text -> mrkdwn that renders exactly as the text reads. */
export function mrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(everyone|here|channel)\b/gi, `@${WJ}$1`)
    .replace(/[*_~`]/g, (c) => `${ZWSP}${c}${ZWSP}`);
}

/** A link whose label is feed text. Non-http(s) URLs are dropped and only the label is shown. */
export function link(url: string | null | undefined, label: string): string {
  const text = mrkdwn(label.replace(/\n/g, ' ').trim() || 'link'); // Slack splits <url|label> at the first |: later ones are label text
  if (!url || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return text;
  return `<${url.replace(/&/g, '&amp;')}|${text}>`;
}

/** Cuts text to `max` characters on a word boundary, with an ellipsis. Cut before escaping. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const sp = cut.lastIndexOf(' ');
  return `${sp > max * 0.6 ? cut.slice(0, sp) : cut}…`;
}

/** What a reader sees: escapes undone and invisible marks removed (tests compare with the original). */
export function visible(mrkdwnText: string): string {
  return mrkdwnText.replace(/[\u200b\u2060]/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
