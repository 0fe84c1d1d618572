import type { Actor } from "../auth/actor.ts";
import { listAccounts } from "../accounts/accounts.ts";
import { CACHE_NODE_TYPES, DB_INSTANCE_CLASSES, INSTANCE_TYPES, REGIONS, zonesOf } from "../catalog/aws.ts";

/** What the environment form offers in its selects. */
export async function formCatalog(actor: Actor) {
  const accounts = await listAccounts({ actor });
  return {
    accounts: accounts.map((a) => ({ name: a.name, defaultRegion: a.defaultRegion })),
    regions: Object.entries(REGIONS).map(([id, r]) => ({ id, name: r.name, zones: zonesOf(id) })),
    instanceTypes: Object.entries(INSTANCE_TYPES).map(([id, t]) => ({ id, label: `${id} — ${t.vcpu} vCPU, ${t.memoryGiB} GiB` })),
    dbClasses: Object.entries(DB_INSTANCE_CLASSES).map(([id, t]) => ({ id, label: `${id} — ${t.vcpu} vCPU, ${t.memoryGiB} GiB` })),
    cacheNodeTypes: Object.entries(CACHE_NODE_TYPES).map(([id, t]) => ({ id, label: `${id} — ${t.vcpu} vCPU, ${t.memoryGiB} GiB` })),
  };
}
