import { describe, expect, it } from "vitest";
import { createAccount, deleteAccount, listAccounts, updateAccount } from "../accounts/accounts.ts";
import { listAuditEvents } from "../audit/list.ts";
import { db } from "../db/client.ts";
import { createEnvironment } from "../environments/create.ts";
import { countEnvironments, getEnvironment, listEnvironments, listSpecVersions } from "../environments/queries.ts";
import { deleteEnvironment } from "../environments/remove.ts";
import { restoreSpecVersion, updateEnvironment } from "../environments/update.ts";
import { ServiceError } from "../errors.ts";
import { environmentMetrics } from "../dashboards/metrics.ts";
import { environmentsOverview } from "../dashboards/overview.ts";
import { runDrill } from "../operations/drills.ts";
import { scalingPanel, updateScaling } from "../operations/scaling.ts";
import { checkDrift } from "../operations/drift.ts";
import { livePanel } from "../operations/live.ts";
import { getOperation, listOperations } from "../operations/queries.ts";
import { approveRollout, cancelOperation, startProvision, startRollback, startRollout, startTeardown } from "../operations/verbs.ts";
import { actor, admin, localAccount, spec } from "../../testing/fixtures.ts";
import type { Actor } from "./actor.ts";
import { ROLES, roleAtLeast, type Role } from "./roles.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "./tokens.ts";
import { inviteUser, listInvites, listUsers, revokeInvite, setUserRole } from "./users.ts";

type Verb = { name: string; required: Role; call: (a: Actor | null) => Promise<unknown> };

const accountInput = { name: "acct-x", defaultRegion: "us-east-1", mode: "endpoint", endpointUrl: "http://127.0.0.1:4566" };

/** Every verb Switchyard has, with the role it needs. A new verb belongs in this table. */
const verbs: Verb[] = [
  { name: "listEnvironments", required: "viewer", call: (a) => listEnvironments({ actor: a! }) },
  { name: "countEnvironments", required: "viewer", call: (a) => countEnvironments({ actor: a! }) },
  { name: "getEnvironment", required: "viewer", call: (a) => getEnvironment({ actor: a!, input: { name: "roles-env" } }) },
  { name: "listSpecVersions", required: "viewer", call: (a) => listSpecVersions({ actor: a!, input: { name: "roles-env" } }) },
  { name: "listAccounts", required: "viewer", call: (a) => listAccounts({ actor: a! }) },
  { name: "listAuditEvents", required: "viewer", call: (a) => listAuditEvents({ actor: a! }) },
  { name: "createEnvironment", required: "admin", call: (a) => createEnvironment({ actor: a!, input: spec("roles-new") }) },
  {
    name: "updateEnvironment",
    required: "admin",
    call: (a) => updateEnvironment({ actor: a!, input: { name: "roles-env", spec: { capacity: { max: 7 } }, merge: true } }),
  },
  {
    name: "restoreSpecVersion",
    required: "admin",
    call: (a) => restoreSpecVersion({ actor: a!, input: { name: "roles-env", version: 1 } }),
  },
  { name: "deleteEnvironment", required: "admin", call: (a) => deleteEnvironment({ actor: a!, input: { name: "roles-gone" } }) },
  { name: "createAccount", required: "admin", call: (a) => createAccount({ actor: a!, input: accountInput }) },
  { name: "updateAccount", required: "admin", call: (a) => updateAccount({ actor: a!, input: { id: "missing", data: accountInput } }) },
  { name: "deleteAccount", required: "admin", call: (a) => deleteAccount({ actor: a!, input: { id: "missing" } }) },
  { name: "createApiToken", required: "admin", call: (a) => createApiToken({ actor: a!, input: { name: "ci", role: "deployer" } }) },
  { name: "revokeApiToken", required: "admin", call: (a) => revokeApiToken({ actor: a!, input: { id: "missing" } }) },
  { name: "listApiTokens", required: "admin", call: (a) => listApiTokens({ actor: a! }) },
  { name: "listUsers", required: "admin", call: (a) => listUsers({ actor: a! }) },
  { name: "setUserRole", required: "admin", call: (a) => setUserRole({ actor: a!, input: { userId: "missing", role: "viewer" } }) },
  { name: "inviteUser", required: "admin", call: (a) => inviteUser({ actor: a!, input: { email: "new@example.com", role: "viewer" } }) },
  { name: "listInvites", required: "admin", call: (a) => listInvites({ actor: a! }) },
  { name: "revokeInvite", required: "admin", call: (a) => revokeInvite({ actor: a!, input: { id: "missing" } }) },
  // Operations and dashboards: an unknown environment, so an allowed role ends at NOT_FOUND before any AWS call.
  { name: "startProvision", required: "admin", call: (a) => startProvision({ actor: a!, input: { name: "no-such-env" } }) },
  { name: "startTeardown", required: "admin", call: (a) => startTeardown({ actor: a!, input: { name: "no-such-env" } }) },
  { name: "startRollout", required: "deployer", call: (a) => startRollout({ actor: a!, input: { name: "no-such-env", version: "v2" } }) },
  { name: "startRollback", required: "deployer", call: (a) => startRollback({ actor: a!, input: { name: "no-such-env" } }) },
  { name: "approveRollout", required: "deployer", call: (a) => approveRollout({ actor: a!, input: { name: "no-such-env", id: "x" } }) },
  { name: "cancelOperation", required: "deployer", call: (a) => cancelOperation({ actor: a!, input: { name: "no-such-env", id: "x" } }) },
  {
    name: "updateScaling",
    required: "deployer",
    call: (a) => updateScaling({ actor: a!, input: { name: "no-such-env", values: { min: 1, desired: 1, max: 2 } } }),
  },
  {
    name: "runDrill",
    required: "deployer",
    call: (a) => runDrill({ actor: a!, input: { name: "no-such-env", body: { kind: "terminate-instance" } } }),
  },
  { name: "listOperations", required: "viewer", call: (a) => listOperations({ actor: a!, input: { name: "no-such-env" } }) },
  { name: "getOperation", required: "viewer", call: (a) => getOperation({ actor: a!, input: { name: "no-such-env", id: "x" } }) },
  { name: "livePanel", required: "viewer", call: (a) => livePanel({ actor: a!, input: { name: "no-such-env" } }) },
  { name: "checkDrift", required: "viewer", call: (a) => checkDrift({ actor: a!, input: { name: "no-such-env" } }) },
  { name: "scalingPanel", required: "viewer", call: (a) => scalingPanel({ actor: a!, input: { name: "no-such-env" } }) },
  { name: "environmentMetrics", required: "viewer", call: (a) => environmentMetrics({ actor: a!, input: { name: "no-such-env" } }) },
  { name: "environmentsOverview", required: "viewer", call: (a) => environmentsOverview({ actor: a!, input: { names: [] } }) },
];

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof ServiceError) return e.code;
    throw e;
  }
}

describe("roles", () => {
  it("every verb refuses an actor below its role and writes nothing", async () => {
    await localAccount();
    await createEnvironment({ actor: admin, input: spec("roles-env") });
    await createEnvironment({ actor: admin, input: spec("roles-gone") });
    const auditBefore = await db.auditEvent.count();
    for (const verb of verbs) {
      expect(await codeOf(verb.call(null)), `${verb.name} without an actor`).toBe("UNAUTHENTICATED");
      for (const role of ROLES.filter((r) => !roleAtLeast(r, verb.required))) {
        expect(await codeOf(verb.call(actor(role))), `${verb.name} as ${role}`).toBe("FORBIDDEN");
      }
    }
    expect(await db.auditEvent.count()).toBe(auditBefore);
    expect(await db.environment.count({ where: { deletedAt: null } })).toBe(2);
  });

  it("every verb lets its own role through", async () => {
    for (const verb of verbs) {
      const code = await codeOf(verb.call(actor(verb.required)));
      expect(["FORBIDDEN", "UNAUTHENTICATED"], `${verb.name} as ${verb.required} got ${code}`).not.toContain(code);
    }
  });
});
