/**
 * Amazon RDS (PostgreSQL and MySQL DB instances): subnet groups, instances with their
 * lifecycles (creating, backing-up, modifying, rebooting with Multi-AZ failover, deleting),
 * events and tags.
 */
import type { CloudApi, ServiceModule } from "../../core/types.ts";
import { initialRdsState, key, rdsState, type DbInstanceRecord } from "./state.ts";
import { createDbSubnetGroup, deleteDbSubnetGroup, describeDbSubnetGroups } from "./subnet-groups.ts";
import { createDbInstance } from "./create-instance.ts";
import { describeDbInstances } from "./describe-instances.ts";
import { modifyDbInstance } from "./modify-instance.ts";
import { rebootDbInstance } from "./reboot-instance.ts";
import { deleteDbInstance } from "./delete-instance.ts";
import { describeEvents } from "./events.ts";
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from "./tags.ts";
import { tickRds } from "./lifecycle.ts";

export type { DbInstanceRecord, DbSimulationRecord } from "./state.ts";
export { INSTANCE_CLASSES } from "./catalog.ts";

/** A DB instance record (with its simulation record `sim`), for the metrics generator and the data plane. */
export function getDbInstance(cloud: CloudApi, region: string, id: string): DbInstanceRecord | undefined {
  return rdsState(cloud).instances[key(region, id)];
}

/** Every DB instance of every region. */
export function listDbInstances(cloud: CloudApi): DbInstanceRecord[] {
  return Object.values(rdsState(cloud).instances);
}

const service: ServiceModule = {
  name: "rds",
  initialState: initialRdsState,
  handlers: {
    CreateDBSubnetGroup: createDbSubnetGroup,
    DescribeDBSubnetGroups: describeDbSubnetGroups,
    DeleteDBSubnetGroup: deleteDbSubnetGroup,
    CreateDBInstance: createDbInstance,
    DescribeDBInstances: describeDbInstances,
    ModifyDBInstance: modifyDbInstance,
    RebootDBInstance: rebootDbInstance,
    DeleteDBInstance: deleteDbInstance,
    DescribeEvents: describeEvents,
    AddTagsToResource: addTagsToResource,
    ListTagsForResource: listTagsForResource,
    RemoveTagsFromResource: removeTagsFromResource,
  },
  tick: tickRds,
};
export default service;
