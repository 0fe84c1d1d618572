import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env.ts";

/**
 * Secrets Switchyard must read back (a webhook's signing secret, a Slack URL, which is itself
 * a credential) are stored encrypted with AES-256-GCM under a key derived (HKDF-SHA256) from
 * BETTER_AUTH_SECRET, the server secret every replica already shares. Stored form:
 * `v1.<iv>.<tag>.<ciphertext>` in base64url. Hashing (server/auth/secrets.ts) is for secrets
 * Switchyard only compares; these it must use.
 */
function key(): Buffer {
  const secret = env.BETTER_AUTH_SECRET;
  if (!secret) throw new Error("BETTER_AUTH_SECRET is not set: start Switchyard with `npm start` or set it (the same on every replica).");
  return Buffer.from(hkdfSync("sha256", secret, "switchyard", "notification secrets v1", 32));
}

export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function open(sealed: string): string {
  const [v, iv, tag, data] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || data === undefined) throw new Error("Not a sealed secret.");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
