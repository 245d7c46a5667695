/**
 * Which links the window may hand to the system browser: https only (no http, file:, javascript:, custom
 * schemes that start other programs), no user:password@ part (a classic disguise for the real host).
 * The user still confirms each one, seeing the full address.
 */
export function externalLinkAllowed(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) return null;
  return url;
}
