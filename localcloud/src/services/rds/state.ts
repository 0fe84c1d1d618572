/**
 * RDS state: plain JSON persisted by the store. Keys are "<region>/<identifier>" because
 * identifiers are unique per account and region. Times are simulated ms.
 */
import { createHash, randomBytes } from "node:crypto";
import type { CloudApi } from "../../core/types.ts";

export const SERVICE = "rds" as const;

export interface Tag {
  Key: string;
  Value?: string;
}

export interface SubnetGroupRecord {
  name: string;
  region: string;
  description: string;
  vpcId: string;
  subnets: Array<{ id: string; availabilityZone: string }>;
  arn: string;
  tags: Tag[];
}

/** A change that is applied at the end of a timed status (modifying, rebooting, ...). */
export interface PendingChange {
  DBInstanceClass?: string;
  AllocatedStorage?: number;
  MultiAZ?: boolean;
  BackupRetentionPeriod?: number;
  StorageType?: string;
}

/** What the simulation keeps per instance for the metrics issue (CloudWatch AWS/RDS). */
export interface DbSimulationRecord {
  /** Current client connections (the data plane / metrics generator updates it). */
  connections: number;
  /** Every failover window (simulated ms); an open one has no completedAt. */
  failovers: Array<{ startedAt: number; completedAt?: number; fromAz: string; toAz: string }>;
  /** Last time the instance was unavailable because of a reboot (simulated ms). */
  lastRebootAt?: number;
  availableSince?: number;
}

export interface DbInstanceRecord {
  id: string;
  region: string;
  arn: string;
  dbiResourceId: string;
  engine: string;
  engineVersion: string;
  licenseModel: string;
  instanceClass: string;
  allocatedStorage: number;
  storageType: string;
  masterUsername: string;
  /** scrypt(salt, password): the password itself is never stored or returned. */
  masterPasswordHash: string;
  /** ManageMasterUserPassword: the Secrets Manager secret RDS owns for the master password. */
  masterUserSecret?: { secretArn: string; kmsKeyId: string };
  dbName?: string;
  port: number;
  multiAZ: boolean;
  availabilityZone: string;
  secondaryAvailabilityZone?: string;
  subnetGroupName?: string;
  vpcSecurityGroupIds: string[];
  backupRetentionPeriod: number;
  preferredBackupWindow: string;
  preferredMaintenanceWindow: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  publiclyAccessible: boolean;
  deletionProtection: boolean;
  autoMinorVersionUpgrade: boolean;
  parameterGroupName: string;
  optionGroupName: string;
  tags: Tag[];
  status: string;
  /** When the current timed status ends (simulated ms). */
  statusEndsAt?: number;
  /** What happens when it ends (see lifecycle.ts). */
  phase?: "creating" | "backing-up" | "modifying" | "rebooting" | "failover" | "deleting";
  /** Applied when the timed status ends (modifying). */
  applying?: PendingChange;
  /** Waiting for the maintenance window (ModifyDBInstance without ApplyImmediately). */
  pending: PendingChange;
  createdAt: number;
  instanceCreateTime?: number;
  latestRestorableTime?: number;
  endpointAddress?: string;
  finalSnapshotId?: string;
  sim: DbSimulationRecord;
}

export interface RdsEventRecord {
  region: string;
  sourceIdentifier: string;
  sourceType: string;
  sourceArn: string;
  message: string;
  categories: string[];
  date: number;
}

export interface RdsState {
  instances: Record<string, DbInstanceRecord>;
  subnetGroups: Record<string, SubnetGroupRecord>;
  events: RdsEventRecord[];
}

export function initialRdsState(): RdsState {
  return { instances: {}, subnetGroups: {}, events: [] };
}

export function rdsState(cloud: CloudApi): RdsState {
  const s = cloud.state<RdsState>(SERVICE);
  s.instances ??= {};
  s.subnetGroups ??= {};
  s.events ??= [];
  return s;
}

export const key = (region: string, id: string) => `${region}/${id.toLowerCase()}`;

export function dbArn(region: string, accountId: string, id: string): string {
  return `arn:aws:rds:${region}:${accountId}:db:${id}`;
}

export function subnetGroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:rds:${region}:${accountId}:subgrp:${name}`;
}

/** "db-" + 26 upper-case base32 characters, like AWS's DbiResourceId. */
export function newDbiResourceId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return `db-${[...randomBytes(26)].map((b) => alphabet[b % 32]).join("")}`;
}

/** The account-and-region part of endpoint host names: stable, like AWS's. */
export function endpointHostPart(accountId: string, region: string): string {
  return `c${createHash("sha256").update(`${accountId}:${region}`).digest("hex").slice(0, 11)}`;
}

/** Route 53 hosted zone ids of RDS endpoints per region (published by AWS). */
const RDS_HOSTED_ZONES: Record<string, string> = {
  "us-east-1": "Z2R2ITUGPM61AM",
  "us-east-2": "Z2XHWR1WZ565X2",
  "us-west-1": "Z10WI91S59XXQN",
  "us-west-2": "Z1PVIF0B656C1W",
  "eu-west-1": "Z29XKXDKYMONMX",
  "eu-central-1": "Z1RLNUO7B9Q6NB",
};

export function rdsHostedZoneId(region: string): string {
  return RDS_HOSTED_ZONES[region] ?? "Z2R2ITUGPM61AM";
}

/** Bookkeeping for tick(): earliest simulated time something is due, per cloud (not persisted). */
const nextDue = new WeakMap<CloudApi, number>();
export const wake = (cloud: CloudApi) => nextDue.set(cloud, 0);
export const dueAt = (cloud: CloudApi) => nextDue.get(cloud) ?? 0;
export const setDueAt = (cloud: CloudApi, at: number) => nextDue.set(cloud, at);
