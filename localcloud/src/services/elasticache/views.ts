/** The ReplicationGroup and CacheCluster shapes AWS returns, built from a record. */
import { arnOf, endpoints, type ReplicationGroupRecord } from "./state.ts";

/** Node endpoints exist from the end of "creating". */
const placed = (rg: ReplicationGroupRecord) => rg.phase !== "creating" && rg.status !== "creating";

export function toReplicationGroup(rg: ReplicationGroupRecord) {
  const ep = endpoints(rg);
  const ready = placed(rg);
  return {
    ReplicationGroupId: rg.id,
    Description: rg.description,
    GlobalReplicationGroupInfo: {},
    Status: rg.status,
    PendingModifiedValues: rg.applying?.primaryClusterId ? { PrimaryClusterId: rg.applying.primaryClusterId } : {},
    MemberClusters: rg.nodes.map((n) => n.clusterId),
    NodeGroups: [
      {
        NodeGroupId: "0001",
        Status: rg.status === "deleting" ? "deleting" : ready ? "available" : "creating",
        PrimaryEndpoint: ready ? { Address: ep.primary, Port: rg.port } : undefined,
        ReaderEndpoint: ready ? { Address: ep.reader, Port: rg.port } : undefined,
        NodeGroupMembers: rg.nodes.map((n) => ({
          CacheClusterId: n.clusterId,
          CacheNodeId: "0001",
          ReadEndpoint: ready ? { Address: ep.node(n.clusterId), Port: rg.port } : undefined,
          PreferredAvailabilityZone: n.availabilityZone,
          CurrentRole: ready ? n.role : undefined,
        })),
      },
    ],
    SnapshottingClusterId: rg.snapshotRetentionLimit > 0 ? rg.nodes.find((n) => n.role === "replica")?.clusterId : undefined,
    AutomaticFailover: rg.automaticFailover ? "enabled" : "disabled",
    MultiAZ: rg.multiAZ ? "enabled" : "disabled",
    SnapshotRetentionLimit: rg.snapshotRetentionLimit,
    SnapshotWindow: "05:00-06:00",
    ClusterEnabled: false,
    CacheNodeType: rg.cacheNodeType,
    AuthTokenEnabled: false,
    TransitEncryptionEnabled: rg.transitEncryption,
    AtRestEncryptionEnabled: rg.atRestEncryption,
    KmsKeyId: rg.kmsKeyId,
    ARN: rg.arn,
    UserGroupIds: [],
    LogDeliveryConfigurations: [],
    ReplicationGroupCreateTime: new Date(rg.createdAt),
    DataTiering: "disabled",
    AutoMinorVersionUpgrade: true,
    NetworkType: "ipv4",
    IpDiscovery: "ipv4",
    TransitEncryptionMode: rg.transitEncryption ? "required" : undefined,
  };
}

export function toCacheCluster(rg: ReplicationGroupRecord, clusterId: string, accountId: string, showNodes: boolean) {
  const n = rg.nodes.find((x) => x.clusterId === clusterId)!;
  const ep = endpoints(rg);
  return {
    CacheClusterId: n.clusterId,
    ClientDownloadLandingPage: "https://console.aws.amazon.com/elasticache/home#client-download:",
    CacheNodeType: rg.cacheNodeType,
    Engine: rg.engine,
    EngineVersion: rg.engineVersion,
    CacheClusterStatus: n.status,
    NumCacheNodes: 1,
    PreferredAvailabilityZone: n.availabilityZone,
    CacheClusterCreateTime: n.createdAt !== undefined ? new Date(n.createdAt) : undefined,
    PreferredMaintenanceWindow: rg.preferredMaintenanceWindow,
    PendingModifiedValues: {},
    CacheSecurityGroups: [],
    CacheParameterGroup: {
      CacheParameterGroupName: `default.${rg.engine}${rg.engineVersion.split(".")[0]}`,
      ParameterApplyStatus: "in-sync",
      CacheNodeIdsToReboot: [],
    },
    CacheSubnetGroupName: rg.subnetGroupName,
    CacheNodes: showNodes
      ? [
          {
            CacheNodeId: "0001",
            CacheNodeStatus: n.status,
            CacheNodeCreateTime: n.createdAt !== undefined ? new Date(n.createdAt) : undefined,
            Endpoint: n.createdAt !== undefined ? { Address: ep.node(n.clusterId), Port: rg.port } : undefined,
            ParameterGroupStatus: "in-sync",
            CustomerAvailabilityZone: n.availabilityZone,
          },
        ]
      : undefined,
    AutoMinorVersionUpgrade: true,
    SecurityGroups: rg.securityGroupIds.map((id) => ({ SecurityGroupId: id, Status: "active" })),
    ReplicationGroupId: rg.id,
    SnapshotRetentionLimit: rg.snapshotRetentionLimit,
    SnapshotWindow: "05:00-06:00",
    AuthTokenEnabled: false,
    TransitEncryptionEnabled: rg.transitEncryption,
    AtRestEncryptionEnabled: rg.atRestEncryption,
    ARN: arnOf(rg.region, accountId, "cluster", n.clusterId),
    ReplicationGroupLogDeliveryEnabled: false,
    LogDeliveryConfigurations: [],
    NetworkType: "ipv4",
    IpDiscovery: "ipv4",
    TransitEncryptionMode: rg.transitEncryption ? "required" : undefined,
  };
}
