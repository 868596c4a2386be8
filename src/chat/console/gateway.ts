/**
 * A ChatGateway that "posts" to a terminal: `frontera demo` subscribes its console like a chat channel,
 * so alerts reach it through publish-story and deliver exactly as they reach Slack or Discord (decided,
 * recorded, rate-limited, once per story), and are printed the way a reporter would read them.
 *
 * Messages are kept in memory so a retry after an uncertain failure finds what was already printed.
 */
import type { AlertDocument, ChannelRef, ChatGateway, DigestDocument, MessageRef, ThreadUpdateDocument } from '../types.ts';

export interface ConsoleGatewayOptions {
  /** Prints one line (no trailing newline). */
  write(line: string): void;
  /** Clock for the time stamps (the demo passes the wall clock). */
  now?: () => Date;
}

// Feed text is untrusted: no terminal escape sequences or other control characters reach the screen.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
function clean(text: string): string {
  return text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

const INDENT = '           ';

export function createConsoleGateway(o: ConsoleGatewayOptions): ChatGateway & { posted(): number } {
  const now = o.now ?? (() => new Date());
  const time = () => now().toISOString().slice(11, 19);
  const byNonce = new Map<string, MessageRef>();
  let next = 1;
  const ref = (nonce: string, threadId?: string): MessageRef => {
    const r: MessageRef = { messageId: `console-${next++}`, ...(threadId ? { threadId } : {}) };
    byNonce.set(nonce, r);
    return r;
  };

  return {
    platform: 'console',
    posted: () => next - 1,

    async postAlert(_channel: ChannelRef, alert: AlertDocument, nonce: string): Promise<MessageRef> {
      const earlier = byNonce.get(nonce);
      if (earlier) return earlier;
      o.write('');
      o.write(`[${time()}] ALERT [${alert.importance}] ${clean(alert.headline)}  (story ${alert.storyId})`);
      for (const b of alert.bullets) o.write(`${INDENT}• ${clean(b.text)}`);
      if (alert.actors.length) o.write(`${INDENT}actors: ${alert.actors.slice(0, 6).map(clean).join(', ')}`);
      for (const s of alert.sources.slice(0, 4)) o.write(`${INDENT}${clean(s.label)} · ${clean(s.url)}`);
      if (alert.sources.length > 4) o.write(`${INDENT}and ${alert.sources.length - 4} more source(s)`);
      return ref(nonce);
    },

    // A chat client shows the edited alert in place; the console prints only new messages.
    async updateAlert(): Promise<void> {},

    async postThreadUpdate(_channel: ChannelRef, parent: MessageRef, u: ThreadUpdateDocument, nonce: string): Promise<MessageRef> {
      const earlier = byNonce.get(nonce);
      if (earlier) return earlier;
      const also = u.broadcast ? `  (also shown in the channel: ${clean(u.reason ?? 'material change')})` : '';
      o.write(`[${time()}]   ↳ thread update on ${u.storyId}: ${clean(u.title)}${also}`);
      if (u.whatsNew) o.write(`${INDENT}new: ${clean(u.whatsNew)}`);
      o.write(`${INDENT}${clean(u.source)} · ${clean(u.url)}`);
      return ref(nonce, parent.threadId ?? parent.messageId);
    },

    async findPosted(_channel: ChannelRef, _storyId: string, nonce: string): Promise<MessageRef | null> {
      return byNonce.get(nonce) ?? null;
    },

    async postDigest(_channel: ChannelRef, d: DigestDocument, nonce: string): Promise<MessageRef> {
      const earlier = byNonce.get(nonce);
      if (earlier) return earlier;
      o.write('');
      o.write(`[${time()}] DIGEST ${clean(d.title)}: ${d.total} stor${d.total === 1 ? 'y' : 'ies'}`);
      for (const g of d.groups) {
        o.write(`${INDENT}${g.importance} (${g.count})`);
        for (const s of g.stories) o.write(`${INDENT}  • ${clean(s.headline)} · ${s.sources} source(s) · ${clean(s.url)}`);
      }
      return ref(nonce);
    },

    async notify(_channel: ChannelRef, text: string): Promise<void> {
      o.write(`[${time()}] notice: ${clean(text)}`);
    },
  };
}
