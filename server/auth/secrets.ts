import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random token with a recognisable prefix (so leaked tokens can be found by scanners). */
export function newToken(prefix: "swy" | "inv"): string {
  return `${prefix}_${randomBytes(30).toString("base64url")}`;
}

/** Tokens are long random strings: a plain SHA-256 is the right hash (no salt or slow KDF needed). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
