import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

/**
 * Optimistic gate for pages: no session cookie -> sign-in. Pages and verbs still check the
 * session and role themselves; this only saves a round of rendering for signed-out visits.
 */
export function proxy(req: NextRequest) {
  if (!getSessionCookie(req)) {
    const url = new URL("/sign-in", req.url);
    url.searchParams.set("next", req.nextUrl.pathname + req.nextUrl.search);
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

export const config = {
  // Everything except the API (token auth, JSON errors), the workflow engine's own routes,
  // auth pages, and static files.
  matcher: ["/((?!api|\\.well-known|sign-in|setup|invite|_next|favicon.ico|.*\\.(?:png|svg|ico|css|js)$).+)"],
};
