/**
 * The dashboards' data shapes, shared by the server (which builds them) and the browser
 * components (which import these types only).
 */
export type Slot = "blue" | "green";
export type RangeKey = "1h" | "3h" | "24h" | "7d";

/** ok, throttled (CloudWatch said slow down), error (with the reason), or no-data. */
export type PanelStatus = { kind: "ok" } | { kind: "throttled"; message: string } | { kind: "error"; message: string };

export type ChartKey =
  | "requests"
  | "errorRate"
  | "latency"
  | "healthyHosts"
  | "capacity"
  | "cpu"
  | "dbCpu"
  | "dbConnections"
  | "dbStorage"
  | "dbLatency"
  | "cdnRequests"
  | "cdnErrors"
  | "cacheCpu"
  | "cacheMemory"
  | "cacheEvictions"
  | "cacheHitRate"
  | "cacheConnections"
  | "cacheReplicationLag";

export type Unit = "rps" | "percent" | "ms" | "count" | "bytes";

export interface SeriesData {
  id: string;
  chart: ChartKey;
  label: string;
  slot?: Slot;
  unit: Unit;
  /** [epoch ms, value]; null where CloudWatch had no datapoint (not FILLed). */
  points: Array<[number, number | null]>;
  status: PanelStatus;
}

export interface AlarmState {
  name: string;
  state: "OK" | "ALARM" | "INSUFFICIENT_DATA" | string;
  reason: string | null;
  updatedAt: string | null;
}

export interface TopologyView {
  distribution: { id: string; status: string; enabled: boolean } | null;
  loadBalancer: { name: string; state: string; weights: Record<Slot, number> | null } | null;
  targetGroups: Record<Slot, { healthy: number; total: number; unhealthy: number } | null>;
  fleets: Record<Slot, { name: string; desired: number; inService: number; pending: number; min: number; max: number } | null>;
  database: { identifier: string; status: string; multiAz: boolean; primaryAz: string | null; standbyAz: string | null } | null;
  /** The ElastiCache replication group: which node is the primary, in which zone (absent without a cache). */
  cache?: {
    id: string;
    status: string;
    multiAz: boolean;
    primary: { id: string; az: string | null } | null;
    replicas: Array<{ id: string; az: string | null }>;
  } | null;
  liveSlot: Slot;
  status: PanelStatus;
}

export interface DashboardData {
  name: string;
  range: RangeKey;
  periodSeconds: number;
  /** The window on the service's clock (epoch ms). */
  start: number;
  end: number;
  /** When the server fetched this (wall clock, epoch ms) and the refresh window it belongs to. */
  fetchedAt: number;
  window: number;
  refreshSeconds: number;
  provisioned: boolean;
  series: SeriesData[];
  alarms: AlarmState[];
  alarmsStatus: PanelStatus;
  topology: TopologyView | null;
  /** GetMetricData calls this answer cost this replica (0 when it was served from the shared cache). */
  getMetricDataCalls: number;
  /** What this environment's dashboards cost on AWS, at today's rate of viewing. */
  cost: { metricsToday: number; callsToday: number; usdPerMonth: number; pricesAsOf: string };
}
