/**
 * Issue 14, finding 3: open redirect after sign-in. Before the fix `/sign-in?next=/%5Cevil.example`
 * and `/<TAB>/evil.example` passed the check (`startsWith("/") && !startsWith("//")`) and
 * Chromium went to the foreign host.
 */
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./redirect.ts";

const FALLBACK = "/environments";

const refused = [
  "/%5Cevil.example",
  "/%5cevil.example",
  "/%255Cevil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/%09/evil.example",
  "/\n/evil.example",
  "/%0a/evil.example",
  "/\r\n/evil.example",
  "/%0d%0aSet-Cookie:%20x=1",
  "/\u0000/evil.example",
  "//evil.example",
  "//evil.example/path",
  "/%2Fevil.example",
  "/%2f%2fevil.example",
  "///evil.example",
  "https://evil.example",
  "http:evil.example",
  "HTTPS://evil.example/",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  " /environments",
  "\t//evil.example",
  "%2F%2Fevil.example",
  "/%E0%A4%A", // malformed percent-encoding
  "",
];

describe("safeRedirectPath", () => {
  it.each(refused)("refuses %j", (payload) => {
    expect(safeRedirectPath(payload)).toBe(FALLBACK);
  });

  it("refuses anything that is not a string", () => {
    for (const v of [undefined, null, 42, ["/environments"], { href: "/" }]) expect(safeRedirectPath(v)).toBe(FALLBACK);
  });

  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirectPath("/environments/shop-staging")).toBe("/environments/shop-staging");
    expect(safeRedirectPath("/environments?q=shop&cursor=abc#top")).toBe("/environments?q=shop&cursor=abc#top");
    expect(safeRedirectPath("/audit?actor=ada%40example.com")).toBe("/audit?actor=ada%40example.com");
    expect(safeRedirectPath("/")).toBe("/");
    // Dot segments resolve on this site.
    expect(safeRedirectPath("/environments/../audit")).toBe("/audit");
  });

  it("uses the fallback given", () => {
    expect(safeRedirectPath("//evil.example", "/")).toBe("/");
  });
});
