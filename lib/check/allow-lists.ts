/**
 * Settings that list addresses a program compares a request with, never connects to: CORS allowed origins (Spring
 * Framework web/cors/CorsConfiguration.java setAllowedOrigins and checkOrigin match the browser's Origin header against
 * the strings; Express cors `origin`, FastAPI CORSMiddleware allow_origins likewise), OAuth redirect and callback URIs
 * (RFC 6749 section 3.1.2: the authorization server compares the redirect_uri with the registered ones and sends the
 * browser there), Django ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS (compared with the Host and Origin headers), and
 * allow-lists by name. A loopback or Service address in one is no call the container makes.
 */

/** A setting's name that says it is such a list, as a word of an env name or a flag (`APP_CORS_ALLOWED_ORIGINS`, `--allowed-origins`, `cors.allowed-origins`). */
const ALLOW_LIST_NAME =
  /(?:^|[_.-])(?:CORS|ORIGINS|(?:ALLOWED|TRUSTED)[_.-]?(?:ORIGINS?|HOSTS?|REDIRECTS?)|REDIRECT[_.-]?UR[IL]S?|CALLBACK[_.-]?UR[IL]S?|ALLOW[_.-]?LIST|WHITE[_.-]?LIST)(?:$|[_.-])/i;

/** An origin as CORS writes it: scheme, host, optional port, no path (RFC 6454 section 6.1). */
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^\s/,]+\/?$/i;

/** A name holding ORIGIN as a word (`FRONTEND_ORIGIN`), which a comma-separated list of origins makes an allow-list. */
const ORIGIN_WORD = /(?:^|[_.-])ORIGIN(?:$|[_.-])/i;

/**
 * Whether a setting is a list of addresses the program compares with (ALLOW_LIST_NAME), by its name, or by a name
 * holding ORIGIN with a value that is a comma-separated list of two or more origins.
 */
export function isAllowListSetting(name: string, value: string): boolean {
  if (ALLOW_LIST_NAME.test(name)) return true;
  const entries = value.split(',').map((e) => e.trim());
  return ORIGIN_WORD.test(name) && entries.length > 1 && entries.every((e) => ORIGIN.test(e));
}

/**
 * Whether a container's text is such a setting: an env value by its variable's name, a flag's value (`--cors-origins=…`,
 * or the word after `--cors-origins`) by the flag's name.
 */
export function allowListText(t: { readonly env?: string; readonly value: string; readonly previous?: string }): boolean {
  if (t.env !== undefined) return isAllowListSetting(t.env, t.value);
  const joined = /^--?([A-Za-z][\w.-]*)=(.*)$/s.exec(t.value);
  if (joined) return isAllowListSetting(joined[1], joined[2]);
  const flag = t.previous !== undefined ? /^--?([A-Za-z][\w.-]*)$/.exec(t.previous) : null;
  return flag !== null && isAllowListSetting(flag[1], t.value);
}
