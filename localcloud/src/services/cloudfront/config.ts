/**
 * DistributionConfig checks and defaults. AWS returns the config with every optional block
 * filled in (Aliases Quantity 0, Logging disabled, the default certificate...), so the stored
 * config is normalised once and returned as is.
 */
import { cnameAlreadyExists, inconsistentQuantities, invalidArgument, invalidViewerCertificate, noSuchOrigin } from "./errors.ts";
import { AwsError, type ModelDocument } from "../../core/types.ts";
import type { StoredDistribution } from "./state.ts";

type Config = ModelDocument;

const VIEWER_PROTOCOL_POLICIES = ["allow-all", "https-only", "redirect-to-https"];
const ORIGIN_PROTOCOL_POLICIES = ["http-only", "match-viewer", "https-only"];
const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"];
const HTTP_VERSIONS = ["http1.1", "http2", "http3", "http2and3"];

/** Every {Quantity, Items} pair must agree, anywhere in the config. */
function checkQuantities(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkQuantities(v, `${where}[${i}]`));
    return;
  }
  if (!value || typeof value !== "object" || value instanceof Date) return;
  const obj = value as Record<string, unknown>;
  if (typeof obj.Quantity === "number") {
    const items = Array.isArray(obj.Items) ? obj.Items.length : 0;
    if (items !== obj.Quantity) throw inconsistentQuantities(where);
  }
  for (const [k, v] of Object.entries(obj)) checkQuantities(v, where ? `${where}.${k}` : k);
}

/** A model list block's items (`{ Quantity, Items }`), as the caller says they are. */
const list = <T = ModelDocument>(block: { Items?: unknown[] } | undefined): T[] => (block?.Items ?? []) as T[];

/** A {Quantity, Items} block; Items is left out when empty, as AWS does. */
function quantityBlock<T>(items: T[] | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return items?.length ? { ...extra, Quantity: items.length, Items: items } : { ...extra, Quantity: 0 };
}

function checkCacheBehavior(b: Config, where: string, targets: Set<string>): void {
  if (!b.TargetOriginId) throw invalidArgument(`The parameter ${where}.TargetOriginId is required.`);
  if (!targets.has(b.TargetOriginId)) throw noSuchOrigin();
  if (!VIEWER_PROTOCOL_POLICIES.includes(b.ViewerProtocolPolicy))
    throw invalidArgument(`The parameter ${where}.ViewerProtocolPolicy is invalid.`);
  if (!b.CachePolicyId && !b.ForwardedValues) throw invalidArgument("The parameter ForwardedValues is required.");
  if (b.CachePolicyId && b.ForwardedValues)
    throw invalidArgument("The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.");
  if (b.ForwardedValues) {
    const min = b.MinTTL ?? 0;
    const def = b.DefaultTTL ?? 86400;
    const max = b.MaxTTL ?? 31536000;
    if (!(min <= def && def <= max)) throw new AwsError("InvalidTTLOrder", "The TTL order specified in CacheBehavior is not valid.", 400);
  }
  const methods = list<string>(b.AllowedMethods);
  if (methods.length && !["GET", "HEAD"].every((m) => methods.includes(m)))
    throw invalidArgument(`The parameter ${where}.AllowedMethods must include GET and HEAD.`);
}

/** Throws the AWS error for the first problem found. `others` are the other distributions (CNAME uniqueness). */
export function validateConfig(config: Config, others: StoredDistribution[]): void {
  checkQuantities(config, "DistributionConfig");
  if (!config.CallerReference) throw invalidArgument("The parameter CallerReference is required.");
  if (config.Comment === undefined || config.Comment === null) throw invalidArgument("The parameter Comment is required.");
  if (String(config.Comment).length > 128) throw invalidArgument("The parameter Comment is too long.");
  if (config.Enabled === undefined || config.Enabled === null) throw invalidArgument("The parameter Enabled is required.");

  const origins = list(config.Origins);
  if (!origins.length) throw invalidArgument("The parameter Origins must contain at least one origin.");
  const ids = new Set<string>();
  for (const o of origins) {
    if (!o.Id) throw invalidArgument("The parameter Origin Id is required.");
    if (!o.DomainName) throw invalidArgument("The parameter Origin DomainName is required.");
    if (ids.has(o.Id)) throw invalidArgument(`The parameter Origin Id must be unique: ${o.Id}.`);
    ids.add(o.Id);
    if (!!o.S3OriginConfig === !!o.CustomOriginConfig)
      throw invalidArgument("Exactly one of CustomOriginConfig and S3OriginConfig must be specified.");
    const custom = o.CustomOriginConfig;
    if (custom) {
      if (!ORIGIN_PROTOCOL_POLICIES.includes(custom.OriginProtocolPolicy))
        throw invalidArgument("The parameter OriginProtocolPolicy is invalid.");
      for (const port of [custom.HTTPPort, custom.HTTPSPort]) {
        if (!Number.isInteger(port) || port < 1 || port > 65535)
          throw invalidArgument("The parameter HTTPPort/HTTPSPort must be between 1 and 65535.");
      }
    }
  }
  for (const g of list(config.OriginGroups)) {
    for (const m of list(g.Members)) if (!ids.has(m.OriginId)) throw noSuchOrigin();
    ids.add(g.Id);
  }
  if (!config.DefaultCacheBehavior) throw invalidArgument("The parameter DefaultCacheBehavior is required.");
  checkCacheBehavior(config.DefaultCacheBehavior, "DefaultCacheBehavior", ids);
  list(config.CacheBehaviors).forEach((b, i) => {
    if (!b.PathPattern) throw invalidArgument(`The parameter CacheBehaviors[${i}].PathPattern is required.`);
    checkCacheBehavior(b, `CacheBehaviors[${i}]`, ids);
  });

  if (config.PriceClass !== undefined && !PRICE_CLASSES.includes(config.PriceClass))
    throw invalidArgument("The parameter PriceClass is invalid.");
  if (config.HttpVersion !== undefined && !HTTP_VERSIONS.includes(config.HttpVersion))
    throw invalidArgument("The parameter HttpVersion is invalid.");
  if (config.DefaultRootObject?.startsWith("/"))
    throw new AwsError("InvalidDefaultRootObject", "The specified default root object is invalid.", 400);

  const aliases = list<string>(config.Aliases);
  const cert = config.ViewerCertificate ?? {};
  const usesDefaultCert = !cert.ACMCertificateArn && !cert.IAMCertificateId;
  if (aliases.length && usesDefaultCert) {
    throw invalidViewerCertificate(
      "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name.",
    );
  }
  if (cert.ACMCertificateArn && !/^arn:aws:acm:us-east-1:\d{12}:certificate\/.+/.test(cert.ACMCertificateArn)) {
    throw invalidViewerCertificate(
      "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.",
    );
  }
  const taken = new Set(others.flatMap((d) => list<string>(d.config.Aliases)).map((a) => a.toLowerCase()));
  if (aliases.some((a) => taken.has(a.toLowerCase()))) throw cnameAlreadyExists();
}

function normalizeBehavior(b: Config): Config {
  const out: Config = {
    ...b,
    TrustedSigners: b.TrustedSigners ?? { Enabled: false, Quantity: 0 },
    TrustedKeyGroups: b.TrustedKeyGroups ?? { Enabled: false, Quantity: 0 },
    AllowedMethods: b.AllowedMethods ?? {
      Quantity: 2,
      Items: ["HEAD", "GET"],
      CachedMethods: { Quantity: 2, Items: ["HEAD", "GET"] },
    },
    SmoothStreaming: b.SmoothStreaming ?? false,
    Compress: b.Compress ?? false,
    LambdaFunctionAssociations: b.LambdaFunctionAssociations ?? { Quantity: 0 },
    FunctionAssociations: b.FunctionAssociations ?? { Quantity: 0 },
    FieldLevelEncryptionId: b.FieldLevelEncryptionId ?? "",
  };
  if (out.AllowedMethods && !out.AllowedMethods.CachedMethods)
    out.AllowedMethods = { ...out.AllowedMethods, CachedMethods: { Quantity: 2, Items: ["HEAD", "GET"] } };
  if (b.ForwardedValues) {
    out.MinTTL = b.MinTTL ?? 0;
    out.DefaultTTL = b.DefaultTTL ?? 86400;
    out.MaxTTL = b.MaxTTL ?? 31536000;
  }
  return out;
}

function normalizeOrigin(o: Config): Config {
  const out: Config = {
    ...o,
    OriginPath: o.OriginPath ?? "",
    CustomHeaders: o.CustomHeaders ?? { Quantity: 0 },
    ConnectionAttempts: o.ConnectionAttempts ?? 3,
    ConnectionTimeout: o.ConnectionTimeout ?? 10,
    OriginShield: o.OriginShield ?? { Enabled: false },
    OriginAccessControlId: o.OriginAccessControlId ?? "",
  };
  if (o.CustomOriginConfig) {
    out.CustomOriginConfig = {
      ...o.CustomOriginConfig,
      OriginSslProtocols: o.CustomOriginConfig.OriginSslProtocols ?? { Quantity: 1, Items: ["TLSv1.2"] },
      OriginReadTimeout: o.CustomOriginConfig.OriginReadTimeout ?? 30,
      OriginKeepaliveTimeout: o.CustomOriginConfig.OriginKeepaliveTimeout ?? 5,
    };
  }
  return out;
}

function normalizeCertificate(cert: Config | undefined): Config {
  if (!cert || (!cert.ACMCertificateArn && !cert.IAMCertificateId)) {
    return {
      CloudFrontDefaultCertificate: true,
      SSLSupportMethod: "vip",
      MinimumProtocolVersion: "TLSv1",
      CertificateSource: "cloudfront",
    };
  }
  return {
    ...cert,
    CloudFrontDefaultCertificate: false,
    SSLSupportMethod: cert.SSLSupportMethod ?? "sni-only",
    MinimumProtocolVersion: cert.MinimumProtocolVersion ?? "TLSv1.2_2021",
    Certificate: cert.ACMCertificateArn ?? cert.IAMCertificateId,
    CertificateSource: cert.ACMCertificateArn ? "acm" : "iam",
  };
}

/** The config as AWS returns it: every optional block present. Call after validateConfig. */
export function normalizeConfig(config: Config): Config {
  return {
    CallerReference: config.CallerReference,
    Aliases: quantityBlock(list(config.Aliases)),
    DefaultRootObject: config.DefaultRootObject ?? "",
    Origins: quantityBlock(list(config.Origins).map(normalizeOrigin)),
    OriginGroups: quantityBlock(list(config.OriginGroups)),
    DefaultCacheBehavior: normalizeBehavior(config.DefaultCacheBehavior),
    CacheBehaviors: quantityBlock(list(config.CacheBehaviors).map(normalizeBehavior)),
    CustomErrorResponses: quantityBlock(list(config.CustomErrorResponses)),
    Comment: config.Comment ?? "",
    Logging: config.Logging ?? { Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" },
    PriceClass: config.PriceClass ?? "PriceClass_All",
    Enabled: config.Enabled,
    ViewerCertificate: normalizeCertificate(config.ViewerCertificate),
    Restrictions: config.Restrictions ?? { GeoRestriction: { RestrictionType: "none", Quantity: 0 } },
    WebACLId: config.WebACLId ?? "",
    HttpVersion: config.HttpVersion ?? "http2",
    IsIPV6Enabled: config.IsIPV6Enabled ?? false,
    ...(config.ContinuousDeploymentPolicyId ? { ContinuousDeploymentPolicyId: config.ContinuousDeploymentPolicyId } : {}),
    Staging: config.Staging ?? false,
  };
}

/** Key-order independent comparison, for CallerReference idempotency. */
export function sameConfig(a: Config, b: Config): boolean {
  return canonical(a) === canonical(b);
}

/**
 * The request's DistributionConfig as sent (key order aside), before defaults are filled in:
 * AWS answers a repeated CallerReference with the original distribution only when the config is
 * identical to the ORIGINAL request, so an equivalent but different request is refused too.
 */
export function configFingerprint(config: Config): string {
  return canonical(config);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
