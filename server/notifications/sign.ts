import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures. Every request carries
 *   X-Switchyard-Timestamp: <unix seconds when it was sent>
 *   X-Switchyard-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * A receiver recomputes the HMAC over the raw body and refuses a mismatch, and refuses a
 * timestamp more than five minutes from its clock, so a captured request cannot be replayed.
 */
export const SIGNATURE_HEADER = "x-switchyard-signature";
export const TIMESTAMP_HEADER = "x-switchyard-timestamp";
export const REPLAY_TOLERANCE_SECONDS = 300;

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does: true when the signature matches and the timestamp is recent. */
export function verifySignature(input: {
  secret: string;
  body: string;
  timestamp: string | null;
  signature: string | null;
  nowSeconds?: number;
}): boolean {
  const ts = Number(input.timestamp);
  if (!input.signature || !Number.isInteger(ts)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > REPLAY_TOLERANCE_SECONDS) return false;
  const want = Buffer.from(signature(input.secret, ts, input.body));
  const got = Buffer.from(input.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}
