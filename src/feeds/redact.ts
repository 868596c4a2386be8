/**
 * Feed URLs can carry credentials (`?token=`, `?apikey=`, `user:pass@`) for paid or private feeds.
 * These helpers mask them before a URL reaches a log line or a stored error message.
 */

const SECRET_PARAM = /^(?:.*[_-])?(?:token|key|apikey|api_key|secret|password|passwd|pass|auth|sig|signature|access[_-]?token|session|sid)$/i;

/** The URL with credential-like query values and any user:password replaced by "***". */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (u.username || u.password) {
    u.username = u.username ? '***' : '';
    u.password = u.password ? '***' : '';
    changed = true;
  }
  for (const name of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) {
      u.searchParams.set(name, '***');
      changed = true;
    }
  }
  return changed ? u.toString() : url;
}

/** Masks credentials in every http(s) URL found in a piece of text (error messages). */
export function redactUrlsIn(text: string): string {
  return text.replace(/https?:\/\/[^\s"'<>)]+/gi, (m) => redactUrl(m));
}
