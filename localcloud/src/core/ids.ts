/** AWS-format identifiers, shared by every service so ids look like the real thing. */
import { randomBytes, randomUUID } from "node:crypto";

export const DEFAULT_ACCOUNT_ID = "000000000000";

/** `n` lowercase hex characters. */
export function randomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString("hex")
    .slice(0, n);
}

/** Resource ids in the current EC2 format: prefix + "-" + 17 hex, e.g. vpc-0a1b2c3d4e5f67890. */
export type Ec2IdPrefix =
  | "vpc"
  | "subnet"
  | "i"
  | "sg"
  | "sgr"
  | "igw"
  | "rtb"
  | "rtbassoc"
  | "lt"
  | "ami"
  | "eni"
  | "eipalloc"
  | "eipassoc"
  | "nat"
  | "acl"
  | "aclassoc"
  | "vol"
  | "snap"
  | "r"
  | "dopt"
  | "key"
  | "vpce"
  | "pl";

export function ec2Id(prefix: Ec2IdPrefix | string): string {
  return `${prefix}-${randomHex(17)}`;
}

/** The 16-hex suffix of ELBv2 ARNs (loadbalancer/app/<name>/<16 hex>). */
export function arnSuffix(): string {
  return randomHex(16);
}

/** Request ids are UUIDs, as in x-amzn-RequestId. */
export function requestId(): string {
  return randomUUID();
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomFrom(alphabet: string, n: number): string {
  const bytes = randomBytes(n);
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** Upper-case alphanumerics, e.g. CloudFront ids ("E" + 13) and ETags. */
export function randomUpperAlnum(n: number): string {
  return randomFrom(UPPER_ALNUM, n);
}

/** Lower-case alphanumerics, e.g. CloudFront domains (d + 13 .cloudfront.net), RDS endpoint hashes. */
export function randomLowerAlnum(n: number): string {
  return randomFrom(LOWER_ALNUM, n);
}

/** A random decimal string of n digits (no leading zero), e.g. the number in ALB DNS names. */
export function randomDigits(n: number): string {
  let out = String(1 + Math.floor(Math.random() * 9));
  while (out.length < n) out += String(Math.floor(Math.random() * 10));
  return out;
}

/** arn:aws:<service>:<region>:<account>:<resource>; region is empty for global services (CloudFront). */
export function arn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:aws:${service}:${region}:${accountId}:${resource}`;
}
