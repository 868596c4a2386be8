/** `/help [command]`: what the bot can answer, or one command's usage and options. */
import type { Command } from './types.ts';

/** Builds /help over the command list (passed in, so help always matches commands/index.ts). */
export function helpCommand(list: () => Command[]): Command {
  return {
    name: 'help',
    description: 'What I can answer, or how to use one command',
    usage: '/help [command]',
    options: [{ name: 'command', description: 'A command name, e.g. brief', type: 'string' }],
    parse(text) {
      const name = text.trim().replace(/^\//, '').toLowerCase();
      return name ? { command: name } : {};
    },
    async run({ args, caller }) {
      const visible = list().filter((c) => !c.adminOnly || caller.isAdmin);
      if (args.command) {
        const c = visible.find((x) => x.name === args.command);
        if (!c) {
          return {
            kind: 'error', title: `No command "/${args.command}"`, sections: [], ephemeral: true,
            text: `Commands: ${visible.map((x) => `/${x.name}`).join(', ')}.`,
          };
        }
        return {
          kind: 'answer', title: c.usage, text: c.description, ephemeral: true,
          sections: c.options.length ? [{ fields: c.options.map((o) => ({ name: o.name + (o.required ? '' : ' (optional)'), value: o.description })) }] : [],
        };
      }
      return {
        kind: 'answer', title: 'Frontera: what I can answer', ephemeral: true,
        text: 'Background on the U.S.–Mexico security beat: actors, events, stories, quotes. Names work in English or Spanish, with or without accents, and survive typos.',
        sections: [{ lines: visible.map((c) => ({ text: `${c.usage}: ${c.description}` })) }],
        footer: 'Lines marked learned come from the news the bot read; the rest is from the beat pack. Every line links its source.',
      };
    },
  };
}
