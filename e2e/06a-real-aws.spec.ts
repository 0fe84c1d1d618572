import { expect, test } from "@playwright/test";
import { ADMIN, LOCALCLOUD, bearer, createToken, shot, signIn, versionsServed, waitForOperation } from "./helpers";

/**
 * Issue 10 in a real browser against the strict local cloud: the form prices the network modes
 * and warns about the expensive defaults; the default spec provisions (NAT gateway, instance
 * role, delivery contract, CloudFront-only load balancer); the environment page shows the
 * instance's own log with the artifact download and the database secret read; a protected
 * environment's teardown is refused (412) until protection is lifted, then leaves a final snapshot.
 * Runs before 07 (which locks sign-in from this machine for a while).
 */
test.describe.configure({ mode: "serial" });

const ENV = "real-e2e";
let token = "";

test("the default spec: priced in the form, provisioned, and the instance log shows the delivery contract", async ({ page, request }) => {
  // Five environments of the earlier files already use AWS's default VPC, gateway, address and
  // NAT-gateways-per-zone quotas (shared NAT gateways all live in the first zone).
  const quotas = await request.post(`${LOCALCLOUD}/_localcloud/quotas`, {
    data: { quotas: { "vpcs-per-region": 20, "internet-gateways-per-region": 20, "elastic-ips": 20, "nat-gateways-per-az": 20 } },
  });
  expect(quotas.status()).toBe(200);
  await signIn(page, ADMIN);
  token = await createToken(page, "real-aws-e2e", "admin");
  await page.goto("/environments/new");
  await page.getByLabel("Name", { exact: true }).fill(ENV);

  const estimate = page.getByTestId("cost-estimate");
  await expect(page.getByTestId("cost-nat-gateways")).toContainText("NAT gateway (shared by the zones)");
  const shared = Number(await estimate.getAttribute("data-total"));
  await page.getByLabel("Way out for the instances").selectOption("nat-per-az");
  await expect(page.getByTestId("cost-warning").first()).toContainText("A NAT gateway per zone costs");
  await expect.poll(async () => Number(await estimate.getAttribute("data-total"))).toBeGreaterThan(shared);
  await page.getByLabel("Way out for the instances").selectOption("public");
  await expect.poll(async () => Number(await estimate.getAttribute("data-total"))).toBeLessThan(shared);
  await page.getByLabel("Way out for the instances").selectOption("nat-shared");
  await expect(page.getByTestId("cost-warning").first()).toContainText("Multi-AZ doubles the database"); // unprotected, Multi-AZ by default
  await estimate.scrollIntoViewIfNeeded();
  await shot(page, "environment-form-cost");
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page).toHaveURL(new RegExp(`/environments/${ENV}$`));

  await page.getByRole("button", { name: "Provision" }).click();
  const op = page.getByTestId("operation");
  const started = Date.now();
  await expect(op).toContainText("Succeeded", { timeout: 150_000 });
  console.log(
    `default spec (nat-shared, Multi-AZ database, CloudFront) provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s at speed 60`,
  );
  for (const key of ["egress", "egress-ready", "instance-role", "parameters", "distribution-deployed"]) {
    await expect(op.getByTestId(`step-${key}`)).toHaveAttribute("data-status", "succeeded");
  }
  // Only CloudFront (its origin header) reaches the load balancer; through it, v1.
  expect(new Set(await versionsServed(`sy-${ENV}-alb`, 5))).toEqual(new Set(["v1"]));
  await expect(page.getByTestId("cost-total")).toBeVisible();

  const panel = page.getByTestId("instance-log");
  await panel.getByRole("button", { name: "Show instance log" }).click();
  const text = panel.getByTestId("instance-log-text");
  await expect(text).toContainText(/dnf: ok \(S3 via/);
  await expect(text).toContainText(/aws s3 cp: ok .*s3:GetObject allowed/);
  await expect(text).toContainText(/aws secretsmanager get-secret-value: ok \(secretsmanager via NAT gateway .*GetSecretValue allowed/);
  await expect(panel.getByTestId("instance-log-status")).toHaveAttribute("data-failed", "false");
  await panel.scrollIntoViewIfNeeded();
  await shot(page, "instance-log");
});

test("a protected environment's teardown is refused until protection is lifted, then leaves a final snapshot", async ({ request }) => {
  const patch = (body: object) => request.patch(`/api/v1/environments/${ENV}`, { headers: bearer(token), data: body });
  expect((await patch({ protected: true })).status()).toBe(200);
  const refused = await request.post(`/api/v1/environments/${ENV}/teardown`, { headers: bearer(token) });
  expect(refused.status()).toBe(412);
  expect((await refused.json()).error.message).toMatch(/is protected: teardown is refused and its database has deletion protection/);

  expect((await patch({ protected: false })).status()).toBe(200);
  const started = await request.post(`/api/v1/environments/${ENV}/teardown`, { headers: bearer(token) });
  expect(started.status(), await started.text()).toBe(202);
  const done = await waitForOperation(request, token, ENV, (await started.json()).id, ["succeeded", "failed"], 150_000);
  expect(done.status, done.reason ?? "").toBe("succeeded");
  const database = done.steps.find((s) => s.key === "database")!;
  expect(database.label).toMatch(new RegExp(`final snapshot sy-${ENV}-final-\\d{14}`));
  expect(JSON.stringify(database.detail)).toContain('"rds:snapshot"');
});
