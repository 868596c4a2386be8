/**
 * REST clients for Discord. Two configurations, on purpose:
 *
 * - Delivery (alerts, thread updates, notices): `retries: 0` and `rejectOnRateLimit` for every route.
 *   discord.js would otherwise sleep through 429s and retry 5xx three times inside one call, hiding
 *   both from jobs/deliver.ts, which owns retries, backoff and per-channel pacing. With these options a
 *   429 (or a bucket discord.js already knows is empty) surfaces at once as RateLimitError with the
 *   wait, and a 5xx or timeout surfaces on the first failure; errors.ts maps them to DeliveryError.
 * - Interactions (the gateway client): discord.js defaults, except a shorter timeout, because an
 *   interaction answer is worth retrying inside its 15-minute token and nobody else would retry it.
 */
import { REST } from 'discord.js';

/** Default API base, the same as discord.js's `rest.api`. */
export const DISCORD_API = 'https://discord.com/api';

/**
 * DISCORD_API_URL -> discord.js `rest.api`: the base that `/v10/...` is appended to. A trailing
 * slash or version segment is dropped, so `http://127.0.0.1:8080/api/v10/` and `.../api` both work.
 */
export function apiBase(url: string | null | undefined): string {
  if (!url) return DISCORD_API;
  return url.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}

export interface RestSettings {
  token: string;
  apiUrl?: string | null;
  /** Per-request timeout in milliseconds (default 10 s). */
  timeoutMs?: number;
}

/** REST for delivery: every 429 and 5xx reaches the caller on the first attempt. */
export function createDeliveryRest(s: RestSettings): REST {
  return new REST({
    api: apiBase(s.apiUrl),
    retries: 0,
    rejectOnRateLimit: () => true,
    timeout: s.timeoutMs ?? 10_000,
  }).setToken(s.token);
}

/** REST options for the gateway client (interactions, command registration). */
export function interactionRestOptions(s: Omit<RestSettings, 'token'>) {
  return { api: apiBase(s.apiUrl), timeout: s.timeoutMs ?? 10_000 };
}
