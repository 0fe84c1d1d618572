import { expect, test, type Locator, type Page } from "@playwright/test";
import { ADMIN, LOCALCLOUD, shot, signIn } from "./helpers";

/**
 * The live dashboards in a real browser against `web-e2e` (left live by 03-rollout.spec.ts)
 * with the local cloud's default load running: charts fill and move, a drill's replacement
 * shows up, and a load spike makes the live fleet scale out.
 */
test.describe.configure({ mode: "serial" });

const ENV = "web-e2e";

async function attr(l: Locator, name: string): Promise<number> {
  return Number((await l.getAttribute(name)) ?? "0");
}

/** A drawn series: a path through at least two points. (Not `toBeVisible()`: a flat line, such as
 * a steady 2 healthy hosts, has a zero-height box and counts as hidden.) */
const DRAWN = /^M-?[\d.]+ -?[\d.]+(?: L-?[\d.]+ -?[\d.]+)+/;

async function openHealth(page: Page) {
  await signIn(page, ADMIN);
  await page.goto(`/environments/${ENV}`);
  await expect(page.getByTestId("health-section")).toBeVisible();
}

test("charts show live series that grow between refreshes, with topology and alarms", async ({ page }) => {
  await openHealth(page);
  const requests = page.getByTestId("chart-requests");
  await expect(requests).toHaveAttribute("data-points", /^[1-9]\d*$/, { timeout: 30_000 });
  await expect(requests.locator("svg.chart-plot")).toBeVisible();
  await expect(requests.locator("svg.chart-plot path.chart-area").first()).toHaveAttribute("d", DRAWN);
  for (const id of ["latency", "healthy-hosts", "capacity", "cpu", "error-rate"]) {
    const chart = page.getByTestId(`chart-${id}`);
    await expect(chart).toHaveAttribute("data-points", /^[1-9]\d*$/);
    await expect(chart.locator("svg.chart-plot")).toBeVisible();
    await expect(chart.locator("svg.chart-plot path.chart-line").first()).toHaveAttribute("d", DRAWN);
  }
  const firstLast = await attr(requests, "data-last");
  // The next refresh (every 10 s) brings newer minutes (the local cloud runs 60x).
  await expect.poll(async () => attr(requests, "data-last"), { timeout: 30_000 }).toBeGreaterThan(firstLast);
  await expect(page.getByTestId("updated-at")).toContainText(/Updated \d\d:\d\d:\d\d · (next in \d+ s|refreshing)/);

  const topo = page.getByTestId("topology");
  await expect(topo.getByTestId("topo-tg-blue")).toHaveAttribute("data-health", "ok");
  await expect(topo.getByTestId("weight-blue")).toHaveText("100%");
  await expect(topo).toHaveAttribute("data-db-az", /us-east-1[a-f]/);
  await expect(page.getByTestId("alarm").first()).toBeVisible();

  // Another range re-queries with a longer period and keeps the layout.
  await page.getByRole("radio", { name: "24 h" }).click();
  await expect(page.getByTestId("updated-at")).toContainText("5 min points", { timeout: 20_000 });
  await page.getByRole("radio", { name: "1 h" }).click();
  await expect(page.getByTestId("updated-at")).toContainText("1 min points", { timeout: 20_000 });
});

test("terminate drill: the instance goes and a replacement appears", async ({ page }) => {
  await openHealth(page);
  const rows = page.getByTestId("instance-row");
  await expect(rows.first()).toBeVisible({ timeout: 20_000 });
  const before = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-instance-id")));
  await page.getByRole("button", { name: "Terminate a random instance" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Terminate" }).click();
  const toastText = await page.getByText(/Terminated i-[0-9a-f]+/).textContent({ timeout: 15_000 });
  const victim = /Terminated (i-[0-9a-f]+)/.exec(toastText ?? "")![1];
  expect(before).toContain(victim);
  await expect(page.getByTestId("activities")).toContainText(`Terminating EC2 instance: ${victim}`, { timeout: 60_000 });
  await expect
    .poll(
      async () =>
        (await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-instance-id")))).some((id) => id && !before.includes(id)),
      { timeout: 60_000 },
    )
    .toBe(true);
  await expect(page.getByTestId("activities")).toContainText("Launching a new EC2 instance", { timeout: 30_000 });
});

test("scaling form validates, then a load spike makes the live fleet scale out", async ({ page, request }) => {
  await openHealth(page);
  const form = page.getByRole("form", { name: "Live fleet scaling" });
  await expect(form).toBeVisible({ timeout: 20_000 });
  // Bad input: field errors, nothing applied.
  await form.getByLabel("Min").fill("5");
  await form.getByLabel("Desired").fill("2");
  await form.getByRole("button", { name: /Apply to/ }).click();
  await expect(form).toContainText("Desired (2) is below minimum (5)");
  // A low CPU target (the default load keeps CPU under ~2.7 %) so the spike trips target tracking.
  await form.getByLabel("Min").fill("2");
  await form.getByLabel("Desired").fill("2");
  await form.getByLabel("Max").fill("6");
  await form.getByLabel(/Target-tracking target/).fill("3.2");
  await form.getByRole("button", { name: /Apply to/ }).click();
  await expect(page.getByText(/Scaling of the blue fleet updated/)).toBeVisible();

  const spike = await request.post(`${LOCALCLOUD}/_localcloud/load`, {
    data: { target: `sy-${ENV}-alb`, profile: "constant", rps: 350, durationSeconds: 1800 },
  });
  expect(spike.status(), await spike.text()).toBe(201);
  const activities = page.getByTestId("activities");
  await expect(activities).toContainText(/changing the desired capacity from 2 to [3-6]/, { timeout: 90_000 });
  await expect(page.getByTestId("chart-capacity")).toHaveAttribute("data-points", /^[1-9]\d*$/);
  await page.getByTestId("health-section").scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById("health-title")?.scrollIntoView());
  await shot(page, "dashboard");
});
