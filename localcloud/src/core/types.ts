/**
 * The contract every part of the local cloud is written against.
 *
 * Layers:
 *   server.ts        HTTP: admin API (/_localcloud/*), fault injection, stats, then hands the
 *                    request to the protocol codec of the service it is addressed to.
 *   protocols/*      One codec per AWS protocol (awsQuery, ec2Query, awsJson1_0 + query form,
 *                    restXml), driven by the real botocore models trimmed into models/*.json:
 *                    they turn the wire request into a plain input object whose keys are the
 *                    model's member names (e.g. { VpcId, Filters: [{ Name, Values }] }) and
 *                    turn the handler's plain output object back into the wire shape
 *                    (member/item lists, xmlName/locationName, timestamps per protocol).
 *   services/*       Semantics only: handlers take and return model-shaped plain objects and
 *                    throw AwsError. They never see XML or HTTP.
 *   sim              The clock calls every service's tick() so lifecycles advance with time.
 */

import type { Caller } from "./authz/caller.ts";

/** Signing names (the SigV4 credential scope), also the prefix of stats keys. */
export type ServiceName =
  | "ec2"
  | "autoscaling"
  | "elasticloadbalancing"
  | "rds"
  | "elasticache"
  | "monitoring"
  | "cloudfront"
  | "secretsmanager"
  | "ssm"
  | "sts"
  | "iam";

/** An error the codecs render the way AWS does for that protocol, so the SDK raises the typed exception. */
export class AwsError extends Error {
  constructor(
    /** AWS error code, e.g. "InvalidVpcID.NotFound", "AlreadyExists", "ValidationError", "ResourceNotFound". */
    public readonly code: string,
    message: string,
    /** HTTP status; AWS uses 400 for most client errors, 404 for some not-found, 409 for some conflicts. */
    public readonly status: number = 400,
    public readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * A model-shaped JSON document kept as the caller sent it (a CloudFront distribution config, a
 * launch template's data, an alarm's configuration, a listener action): the AWS model defines
 * its shape, the codec decoded exactly that, and each field is checked where it is read. The
 * one place the local cloud reads loosely typed data.
 */
// biome-ignore lint/suspicious/noExplicitAny: the model's documents are read field by field where they are used
export type ModelDocument = Record<string, any>;

/** What a handler knows about the call it serves. */
export interface RequestContext {
  /** From the SigV4 credential scope (falls back to us-east-1). */
  region: string;
  /** Always "000000000000" unless configured. */
  accountId: string;
  requestId: string;
  /** The whole cloud: the current simulated time and every service's state and internals. */
  cloud: CloudApi;
  /** Who signed the request (account keys or an STS role session); set by the server for IAM enforcement and STS. */
  caller?: Caller;
}

export type Handler<I = never, O = unknown> = (input: I, ctx: RequestContext) => O | Promise<O>;

/** A handler as the server and the wrappers call it: with whatever input the codec decoded from the wire. */
export type WireHandler = (input: unknown, ctx: RequestContext) => unknown;

/** Each handler declares the input its operation's model describes and the codec decodes exactly that shape: widened here, once. */
export const asWireHandler = (handler: Handler): WireHandler => handler as WireHandler;

/**
 * A service module. State lives in the cloud's store under store.services[name] and is plain
 * JSON (so it can be persisted and reloaded); anything not JSON (timers, sockets) must be
 * rebuilt from state after a restart.
 */
export interface ServiceModule<S = unknown> {
  name: ServiceName;
  /** Fresh state after a reset. */
  initialState(): S;
  /** Keyed by the model's operation name, e.g. "DescribeVpcs". */
  handlers: Record<string, Handler>;
  /** Advance this service's lifecycles to simulated time `now` (ms since epoch). Called often; must be cheap when nothing is due. */
  tick?(cloud: CloudApi, now: number): void;
  /** Data-plane endpoints this service serves (GET /_localcloud/endpoints merges them across services). */
  endpoints?(cloud: CloudApi): { loadBalancers?: unknown[]; distributions?: unknown[] };
}

/** The cloud as services see it. */
export interface CloudApi {
  /** Simulated time in ms since epoch (the clock runs `speed` times faster than wall time). */
  now(): number;
  speed(): number;
  accountId: string;
  /** Persistent JSON state of a service; mutate it in place, then call markDirty(). */
  state<S = unknown>(service: ServiceName): S;
  markDirty(): void;
  /** A service's module (its handlers, tick, endpoints). Services call each other's functions through typed imports, not through this. */
  service(name: ServiceName): ServiceModule;
  /** Publish metric datapoints as if PutMetricData was called (used by the simulation). */
  putMetricData(
    region: string,
    namespace: string,
    data: Array<{
      MetricName: string;
      Dimensions?: Array<{ Name: string; Value: string }>;
      Timestamp?: number;
      Value?: number;
      Values?: number[];
      Counts?: number[];
      Unit?: string;
    }>,
  ): void;
}
