/**
 * AWS list prices Switchyard's cost estimate uses: on-demand, US East (N. Virginia), Linux, in
 * USD, as published on aws.amazon.com/pricing pages on the date below. Other regions cost up to
 * about a third more; the estimate says which region the table is for. Update the table and the
 * date together.
 */
export const PRICES_AS_OF = "2025-06-01";
export const PRICE_REGION = "us-east-1";
/** AWS bills a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

/** EC2 on-demand, per instance-hour. */
export const EC2_HOURLY: Record<string, number> = {
  "t3.micro": 0.0104,
  "t3.small": 0.0208,
  "t3.medium": 0.0416,
  "t3.large": 0.0832,
  "t3.xlarge": 0.1664,
  "t3a.micro": 0.0094,
  "t3a.small": 0.0188,
  "t3a.medium": 0.0376,
  "t4g.small": 0.0168,
  "t4g.medium": 0.0336,
  "m5.large": 0.096,
  "m5.xlarge": 0.192,
  "m6i.large": 0.096,
  "m6i.xlarge": 0.192,
  "m6i.2xlarge": 0.384,
  "m7g.large": 0.0816,
  "m7g.xlarge": 0.1632,
  "c5.large": 0.085,
  "c6i.large": 0.085,
  "c6i.xlarge": 0.17,
  "c7g.large": 0.0725,
  "r5.large": 0.126,
  "r6i.large": 0.126,
  "r6i.xlarge": 0.252,
};

/** RDS on-demand single-AZ, per instance-hour; Multi-AZ deployments cost twice this. */
export const RDS_HOURLY: Record<"postgres" | "mysql", Record<string, number>> = {
  postgres: {
    "db.t3.micro": 0.018,
    "db.t3.small": 0.036,
    "db.t3.medium": 0.072,
    "db.t4g.micro": 0.016,
    "db.t4g.medium": 0.065,
    "db.m5.large": 0.178,
    "db.m6g.large": 0.159,
    "db.m6i.large": 0.178,
    "db.m6i.xlarge": 0.356,
    "db.r6g.large": 0.225,
    "db.r6g.xlarge": 0.45,
    "db.r6i.large": 0.25,
  },
  mysql: {
    "db.t3.micro": 0.017,
    "db.t3.small": 0.034,
    "db.t3.medium": 0.068,
    "db.t4g.micro": 0.016,
    "db.t4g.medium": 0.065,
    "db.m5.large": 0.171,
    "db.m6g.large": 0.152,
    "db.m6i.large": 0.171,
    "db.m6i.xlarge": 0.342,
    "db.r6g.large": 0.216,
    "db.r6g.xlarge": 0.432,
    "db.r6i.large": 0.24,
  },
};

/** ElastiCache for Redis OSS on-demand, per node-hour; Valkey nodes cost 20% less (VALKEY_DISCOUNT). */
export const ELASTICACHE_HOURLY: Record<string, number> = {
  "cache.t4g.micro": 0.016,
  "cache.t4g.small": 0.032,
  "cache.t4g.medium": 0.065,
  "cache.t3.micro": 0.017,
  "cache.t3.small": 0.034,
  "cache.t3.medium": 0.068,
  "cache.m7g.large": 0.158,
  "cache.m7g.xlarge": 0.315,
  "cache.r7g.large": 0.219,
  "cache.r7g.xlarge": 0.437,
};
export const VALKEY_DISCOUNT = 0.2;

export const PRICES = {
  /** Per NAT gateway-hour, and per GB it processes. */
  natGatewayHourly: 0.045,
  natGatewayPerGb: 0.045,
  /** Every public IPv4 address (NAT Elastic IPs, the ALB's one per zone, instances' public IPs), per hour. */
  publicIpv4Hourly: 0.005,
  /** Application Load Balancer per hour, plus per LCU-hour. */
  albHourly: 0.0225,
  albLcuHourly: 0.008,
  /** gp3 per GB-month: the instances' 8 GB root volumes, RDS storage (doubled for Multi-AZ). */
  ebsGp3GbMonth: 0.08,
  rdsGp3GbMonth: 0.115,
  /** CloudFront to viewers in North America and Europe, per GB (first 10 TB), and per 10,000 HTTPS requests. */
  cloudfrontPerGb: 0.085,
  cloudfrontPer10kHttps: 0.01,
  /** A standard-resolution alarm per metric it watches, per month. */
  alarmMetricMonth: 0.1,
  /** EC2 detailed monitoring: 7 metrics per instance at $0.30 per metric-month. */
  detailedMonitoringInstanceMonth: 2.1,
  /** Secrets Manager, per secret-month (the database's managed master password). */
  secretMonth: 0.4,
  /** S3 gateway endpoints, Standard SSM parameters, IAM: free. */
  s3GatewayEndpointHourly: 0,
} as const;

/** What traffic the estimate assumes; each line that depends on it says so. */
export const ASSUMPTIONS = {
  /** Through the NAT gateway(s): packages, artifacts not served by the S3 endpoint, third-party APIs. */
  natGbPerMonth: 50,
  /** Served by CloudFront to viewers. */
  cdnGbPerMonth: 100,
  cdnRequestsPerMonth: 10_000_000,
  /** Load balancer capacity units used on average (one LCU is e.g. 25 new connections/s or 1 GB/h). */
  albLcus: 1,
  rootVolumeGb: 8,
} as const;
