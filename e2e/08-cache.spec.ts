import { DescribeReplicationGroupsCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { expect, type Page, test } from "@playwright/test";
import { ADMIN, apiSpec, bearer, createToken, LOCALCLOUD, signIn, waitForOperation } from "./helpers";

/**
 * Issue 15, "a managed cache": an environment with a Multi-AZ Valkey cache provisions (its own
 * steps on the timeline), the cache is in the topology (primary and replica with their zones)
 * and in the charts, the failover drill swaps primary and replica, and teardown removes it
 * (the local cloud no longer knows the replication group).
 */
test.describe.configure({ mode: "serial" });

const NAME = "cache-e2e";
const CACHE = `sy-${NAME}-cache`;
const elasticache = new ElastiCacheClient({
  endpoint: LOCALCLOUD,
  region: "us-east-1",
  credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" },
});
let token = "";

async function signInOrSetUp(page: Page) {
  await page.goto("/");
  if (page.url().endsWith("/setup")) {
    await page.getByLabel("Name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await expect(page).toHaveURL(/\/environments$/);
  } else await signIn(page, ADMIN);
}

const roles = async () =>
  (
    (await elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: CACHE }))).ReplicationGroups?.[0]?.NodeGroups?.[0]
      ?.NodeGroupMembers ?? []
  ).map((m) => [m.CacheClusterId, m.CurrentRole]);

test("an environment with a Multi-AZ cache provisions, the cache with its own steps", async ({ page, request }) => {
  test.setTimeout(120_000);
  await signInOrSetUp(page);
  token = await createToken(page, "cache-e2e", "admin");
  const spec = apiSpec(NAME, { cache: { engine: "valkey", nodeType: "cache.t4g.micro", replicas: 1, multiAz: true } });
  const created = await request.post("/api/v1/environments", { headers: bearer(token), data: spec });
  expect(created.status(), await created.text()).toBe(201);
  const op = await request.post(`/api/v1/environments/${NAME}/provision`, { headers: bearer(token) });
  expect(op.status(), await op.text()).toBe(202);
  const done = await waitForOperation(request, token, NAME, (await op.json()).id, ["succeeded", "failed"], 100_000);
  expect(done.status, done.reason ?? "").toBe("succeeded");
  const steps = Object.fromEntries(done.steps.map((s) => [s.key, s.status]));
  expect([steps.cache, steps["cache-available"]]).toEqual(["succeeded", "succeeded"]);
  expect(await roles()).toEqual([
    [`${CACHE}-001`, "primary"],
    [`${CACHE}-002`, "replica"],
  ]);
});

test("the cache is in the topology and the charts; the failover drill swaps primary and replica", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, ADMIN);
  await page.goto(`/environments/${NAME}`);
  const topo = page.getByTestId("topology");
  await expect(topo.getByTestId("topo-cache")).toHaveAttribute("data-health", "ok", { timeout: 20_000 });
  await expect(topo.getByTestId("topo-cache")).toContainText("ElastiCache");
  await expect(topo).toHaveAttribute("data-cache-primary", `${CACHE}-001`);
  for (const id of ["cache-cpu", "cache-memory", "cache-hit-rate", "cache-connections"])
    await expect(page.getByTestId(`chart-${id}`)).toHaveAttribute("data-points", /^[1-9]\d*$/, { timeout: 45_000 });

  await page.getByRole("button", { name: "Fail over the cache" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Fail over" }).click();
  await expect(page.getByText(/Cache failing over: a replica takes over from sy-cache-e2e-cache-001/)).toBeVisible({ timeout: 15_000 });
  await expect.poll(roles, { timeout: 30_000 }).toEqual([
    [`${CACHE}-001`, "replica"],
    [`${CACHE}-002`, "primary"],
  ]);
  await expect(topo).toHaveAttribute("data-cache-primary", `${CACHE}-002`, { timeout: 30_000 });
  await expect(topo).toHaveAttribute("data-cache-status", "available");
});

test("teardown removes the cache", async ({ request }) => {
  test.setTimeout(90_000);
  const op = await request.post(`/api/v1/environments/${NAME}/teardown`, { headers: bearer(token), data: {} });
  expect(op.status(), await op.text()).toBe(202);
  const done = await waitForOperation(request, token, NAME, (await op.json()).id, ["succeeded", "failed"], 80_000);
  expect(done.status, done.reason ?? "").toBe("succeeded");
  expect(done.steps.find((s) => s.key === "cache")?.status).toBe("succeeded");
  const gone = await elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: CACHE })).catch((e: Error) => e.name);
  expect(gone).toBe("ReplicationGroupNotFoundFault");
});
