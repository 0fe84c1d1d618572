import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { EnvironmentSpec } from "@/server/environments/spec.ts";

/** The current spec at a glance, grouped like the form. */
export function SpecSummary({ spec }: { spec: EnvironmentSpec }) {
  const groups: Array<[string, Array<[string, React.ReactNode]>]> = [
    [
      "Application",
      [
        ["Version", <code key="v">{spec.app.version}</code>],
        ["Source", spec.app.source.kind === "ami" ? <code key="a">{spec.app.source.amiId}</code> : "Amazon Linux 2023 + user data"],
        ["Zones", spec.availabilityZones.join(", ")],
        [
          "Artifact",
          <code key="u" className="break-all text-xs">
            {spec.app.artifactUri}
          </code>,
        ],
        [
          "Instance profile",
          spec.app.instanceProfileArn ? (
            <code key="i" className="break-all text-xs">
              {spec.app.instanceProfileArn}
            </code>
          ) : (
            "created by Switchyard"
          ),
        ],
      ],
    ],
    [
      "Fleet",
      [
        ["Instance type", spec.instanceType],
        ["Capacity (min/desired/max)", `${spec.capacity.min} / ${spec.capacity.desired} / ${spec.capacity.max}`],
        ["Scaling", spec.scaling.metric === "cpu" ? `CPU at ${spec.scaling.target}%` : `${spec.scaling.target} requests per target`],
      ],
    ],
    [
      "Health check",
      [
        ["Path", <code key="p">{spec.healthCheck.path}</code>],
        ["Interval / timeout", `${spec.healthCheck.intervalSeconds}s / ${spec.healthCheck.timeoutSeconds}s`],
        [
          "Thresholds",
          `healthy ${spec.healthCheck.healthyThreshold}, unhealthy ${spec.healthCheck.unhealthyThreshold}, grace ${spec.healthCheck.gracePeriodSeconds}s`,
        ],
      ],
    ],
    [
      "Data and edge",
      [
        [
          "Database",
          spec.database
            ? `${spec.database.engine} ${spec.database.instanceClass}, ${spec.database.storageGb} GB${spec.database.multiAz ? ", Multi-AZ" : ""}`
            : "none",
        ],
        [
          "Cache",
          spec.cache
            ? `${spec.cache.engine} ${spec.cache.nodeType}, ${spec.cache.replicas} replica${spec.cache.replicas === 1 ? "" : "s"}${spec.cache.multiAz ? ", Multi-AZ" : ""}`
            : "none",
        ],
        ["CloudFront", spec.cloudfront ? "on" : "off"],
        [
          "Way out",
          { "nat-per-az": "NAT gateway per zone", "nat-shared": "one shared NAT gateway", public: "public subnets, public IPs" }[
            spec.network.egress
          ],
        ],
        ["HTTPS", spec.certificateArn ? "listener on 443 (ACM)" : "none (HTTP on 80)"],
      ],
    ],
    [
      "Rollouts",
      [
        [
          "Strategy",
          spec.rollout.strategy === "canary"
            ? `canary ${spec.rollout.canarySteps.join(" → ")}%, bake ${spec.rollout.bakeMinutes} min`
            : "all at once",
        ],
        ["Auto-rollback", `5xx > ${spec.autoRollback.max5xxRatePercent}% or p95 > ${spec.autoRollback.maxP95LatencyMs} ms`],
        [
          "Not enough data",
          `bake extends up to ${spec.rollout.maxBakeMinutes ?? Math.max(30, spec.rollout.bakeMinutes)} min, then ${
            (spec.rollout.onUndecided ?? "hold") === "hold" ? "holds for a deployer" : "rolls back"
          }`,
        ],
        ["Rollback window", `${spec.rollbackWindowMinutes} min`],
        ["Approval", spec.protected ? "required (protected)" : "not required"],
      ],
    ],
  ];
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
      {groups.map(([title, rows]) => (
        <Card key={title}>
          <CardHeader>
            <CardTitle>{title}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid gap-1.5 text-sm">
              {rows.map(([k, v]) => (
                <div key={k} className="flex justify-between gap-3">
                  <dt className="text-muted-foreground">{k}</dt>
                  <dd className="min-w-0 text-right break-words">{v}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
