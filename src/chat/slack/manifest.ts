/**
 * The Slack app manifest: every command under its own name and under /frontera, the bot scopes, and
 * the request URLs on FRONTERA_PUBLIC_URL (or Socket Mode when there is no public URL to give).
 * Paste it at https://api.slack.com/apps -> Create New App -> From an app manifest.
 */
import type { Command } from '../../../commands/types.ts';
import { SLACK_EVENTS_PATH } from './receiver.ts';

export const BOT_SCOPES = [
  'commands', // slash commands
  'chat:write', // alerts, thread replies, digests
  'chat:write.public', // post in public channels the bot has not been invited to
  'channels:history', // find our own alert after an interrupted post (public channels)
  'groups:history', // the same in private channels
  'im:write', // admin notices by direct message
];

export interface ManifestOptions {
  publicUrl: string | null;
  socketMode: boolean;
  name?: string;
}

/** The manifest as a plain object (print it as JSON). */
export function slackManifest(commands: readonly Command[], o: ManifestOptions): Record<string, unknown> {
  const url = o.publicUrl ? `${o.publicUrl.replace(/\/+$/, '')}${SLACK_EVENTS_PATH}` : null;
  const withUrl = !o.socketMode && url ? { url } : {};
  const hint = (c: Command) => c.usage.replace(new RegExp(`^/${c.name}\\s*`), '').slice(0, 1000);
  return {
    display_information: {
      name: o.name ?? 'Frontera',
      description: 'Sourced alerts and background on the U.S.–Mexico security beat',
      background_color: '#1d3b53',
    },
    features: {
      bot_user: { display_name: o.name ?? 'Frontera', always_online: true },
      slash_commands: [
        ...commands.map((c) => ({ command: `/${c.name}`, description: c.description.slice(0, 100), usage_hint: hint(c), should_escape: false, ...withUrl })),
        { command: '/frontera', description: 'Every Frontera command: /frontera brief Sheinbaum', usage_hint: `${commands.map((c) => c.name).join('|')} ...`.slice(0, 1000), should_escape: false, ...withUrl },
      ],
    },
    oauth_config: { scopes: { bot: BOT_SCOPES } },
    settings: {
      interactivity: { is_enabled: true, ...(!o.socketMode && url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: o.socketMode,
      token_rotation_enabled: false,
    },
  };
}
