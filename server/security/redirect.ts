/**
 * The one check for a redirect target that comes from input (`?next=` after sign-in, the
 * page SSO returns to): only a path on this site. Browsers are generous with what they treat
 * as "another host": `//evil`, `/\evil`, `/%5Cevil` once decoded, `/<TAB>/evil` (tabs and
 * newlines are dropped from URLs), and schemes like `javascript:`. Anything doubtful falls
 * back to `fallback`.
 */
const BASE = "http://switchyard.invalid";

// Controls (tabs, newlines, NUL, DEL) and backslashes: never in a target we produce ourselves.
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

function looksLocal(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !FORBIDDEN.test(path);
}

export function safeRedirectPath(input: unknown, fallback = "/environments"): string {
  if (typeof input !== "string" || input.length === 0 || input.length > 2048) return fallback;
  // Check the target as given and as any number of decodings would read it.
  let view = input;
  for (let i = 0; i < 4; i++) {
    if (!looksLocal(view)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(view);
    } catch {
      return fallback;
    }
    if (decoded === view) break;
    view = decoded;
  }
  if (!looksLocal(view)) return fallback;
  let url: URL;
  try {
    url = new URL(input, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const out = url.pathname + url.search + url.hash;
  return looksLocal(out) ? out : fallback;
}
