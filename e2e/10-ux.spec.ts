import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { ADMIN, apiSpec, bearer, createToken, rollOutViaApi, shot, signIn, userDataWith } from "./helpers";

/**
 * The product as a new user meets it (issue 12), on one environment: the header and every
 * panel follow provisioning, a rollout and a rollback without a reload (at 1400 px and at
 * 390x844 with no horizontal overflow), spec beside live, version drift, the line diff of user
 * data, Switchyard's automatic rollback in the audit log, and axe on every page.
 */
// In order, one worker; a failed check does not hide the later ones (each test finds the environment by name).

const NAME = "ux-shop";
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1400, height: 900 };
/** One refresh of the page's shared queries (10 s) and a margin for a loaded CI box. */
const ONE_REFRESH = 15_000;
let token = "";

/** Standalone runs start on a fresh data directory: create the first admin; in the full story 01 did. */
async function signInAdmin(page: Page) {
  await page.goto("/setup");
  if (await page.getByText("Create the first admin").isVisible()) {
    await page.getByLabel("Name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await expect(page).toHaveURL(/\/environments$/);
    return;
  }
  await signIn(page, ADMIN);
}

/** The document is exactly as wide as the viewport: nothing overflows sideways. */
async function expectNoHorizontalOverflow(page: Page) {
  const { width, offenders } = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    // The outermost elements that stick out and are not inside a scrolling (or clipping) box.
    const clipped = (el: HTMLElement) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
        if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    const sticking = [...document.querySelectorAll<HTMLElement>("body *")].filter((el) => el.getBoundingClientRect().right > vw + 0.5);
    const wide = (sticking.some((el) => !clipped(el)) ? sticking.filter((el) => !clipped(el)) : sticking)
      .slice(0, 5)
      .map(
        (el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} right=${Math.round(el.getBoundingClientRect().right)}`,
      );
    return { width: document.documentElement.scrollWidth, offenders: wide };
  });
  expect.soft(width, `${page.url()} is wider than the viewport: ${offenders.join(" | ")}`).toBe(page.viewportSize()?.width);
}

const header = (page: Page) => page.getByTestId("environment-status");

/** Traffic panel, topology and capacity panel all name `slot` as live. */
async function expectAllSayLive(page: Page, slot: "blue" | "green", version: string) {
  const other = slot === "blue" ? "green" : "blue";
  await expect(page.getByText(new RegExp(`Live: ${version} on the ${slot} fleet`))).toBeVisible({ timeout: ONE_REFRESH });
  await expect(page.getByTestId("traffic-split")).toHaveAttribute(`data-${slot}`, "100", { timeout: ONE_REFRESH });
  await expect(page.getByTestId(`topo-tg-${slot}`)).toContainText(`${slot} target group · live`, { timeout: ONE_REFRESH });
  await expect(page.getByTestId(`weight-${slot}`)).toHaveText("100%", { timeout: ONE_REFRESH });
  await expect(page.getByTestId(`weight-${other}`)).toHaveText("0%", { timeout: ONE_REFRESH });
  await expect(page.getByRole("button", { name: `Apply to ${slot}` })).toBeVisible({ timeout: ONE_REFRESH });
  await expect(page.getByRole("button", { name: `Apply to ${other}` })).toHaveCount(0);
}

test("a draft shows nothing live; provisioning turns the header and Health to ready without a reload (390 px)", async ({
  page,
  request,
}) => {
  await signInAdmin(page);
  token = await createToken(page, "ux", "admin");
  const created = await request.post("/api/v1/environments", {
    headers: bearer(token),
    data: apiSpec(NAME, {
      app: { version: "v1.0.0", source: { kind: "al2023", userData: userDataWith("error_rate=0") } },
      rollout: { strategy: "all-at-once", canarySteps: [100], bakeMinutes: 0.05 },
      rollbackWindowMinutes: 600,
    }),
  });
  expect(created.status(), await created.text()).toBe(201);

  await page.setViewportSize(PHONE);
  await page.goto(`/environments/${NAME}`);
  await expect(header(page).locator("[data-status]")).toHaveAttribute("data-status", "draft");
  await expect(page.getByTestId("traffic-split")).toHaveAttribute("data-blue", "0");
  await expect(page.getByTestId("traffic-split")).not.toContainText("live");
  await expectNoHorizontalOverflow(page);

  // Someone else provisions it (the API): this page sees it through its shared live query.
  const op = await request.post(`/api/v1/environments/${NAME}/provision`, { headers: bearer(token) });
  expect(op.status(), await op.text()).toBe(202);
  await expect(header(page).locator("[data-status]")).toHaveAttribute("data-status", "provisioning", { timeout: ONE_REFRESH });
  await expect(header(page).locator("[data-status]")).toHaveAttribute("data-status", "ready", { timeout: 150_000 });
  // Within one refresh the Health section and the capacity panel follow: no "Not provisioned yet".
  await expect(page.getByTestId("topology")).toBeVisible({ timeout: ONE_REFRESH });
  await expectAllSayLive(page, "blue", "v1.0.0");
  await expect(header(page)).toContainText("spec v1.0.0 · live v1.0.0");
  await expectNoHorizontalOverflow(page);
  await shot(page, "environment-phone");

  // The app opens from the page: on the local account the link is the listener's local port.
  const link = page.getByTestId("app-links").getByRole("link").first();
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+/);
  const served = await request.get(`${href}/health`);
  expect(served.status()).toBe(200);
});

test("a saved version offers Deploy v1.1.0; the rollout shows in every panel without a reload; the user-data diff is line by line", async ({
  page,
}) => {
  await page.setViewportSize(DESKTOP);
  await signIn(page, ADMIN);
  await page.goto(`/environments/${NAME}/edit`);
  // Provisioned: account and region are read-only.
  await expect(page.getByLabel("AWS account")).toBeDisabled();
  await expect(page.getByLabel("Region")).toBeDisabled();
  await page.getByLabel("App version").fill("v1.1.0");
  const userData = page.getByLabel("User-data template");
  await userData.fill(`${await userData.inputValue()}echo ready\n`);
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page).toHaveURL(new RegExp(`/environments/${NAME}$`));

  const history = page.getByTestId("version-2");
  await expect(history.getByTestId("line-diff")).toBeVisible();
  await expect(history.locator('[data-line="add"]')).toHaveCount(1);
  await expect(history.locator('[data-line="add"]')).toContainText("echo ready");
  await expect(history.locator('[data-line="del"]')).toHaveCount(0);

  await expect(header(page)).toContainText("spec v1.1.0 · live v1.0.0 (v1.1.0 not deployed yet)");
  await expect(page.getByLabel("Version to deploy")).toHaveValue("v1.1.0");
  await page.getByRole("button", { name: "Deploy v1.1.0" }).click();
  await expect(page.getByTestId("operation")).toContainText("Rollout v1.0.0 → v1.1.0", { timeout: ONE_REFRESH });
  await expect(page.getByTestId("operation")).toContainText("Succeeded", { timeout: 120_000 });
  await expectAllSayLive(page, "green", "v1.1.0");
  await expect(header(page)).toContainText("spec v1.1.0 · live v1.1.0");
  await expect(page.getByRole("button", { name: /^Deploy/ })).toHaveText("Deploy");
});

async function rollBackInUi(page: Page, to: string) {
  await page.getByRole("button", { name: `Roll back to ${to}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Roll back" }).click();
  await expect(page.getByTestId("operation")).toContainText(`Rollback v1.1.0 → ${to}`, { timeout: ONE_REFRESH });
  await expect(page.getByTestId("operation")).toContainText("Succeeded", { timeout: 60_000 });
}

test("after a rollback the traffic panel, topology and capacity panel agree at once; spec beside live; version drift", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await signIn(page, ADMIN);
  await page.goto(`/environments/${NAME}`);
  await rollBackInUi(page, "v1.0.0");
  await expectAllSayLive(page, "blue", "v1.0.0");
  await expect(header(page)).toContainText("spec v1.1.0 · live v1.0.0 after rollback");

  await page.getByRole("button", { name: "Check for drift" }).click();
  const drift = page.getByTestId("drift");
  await expect(drift.getByRole("row", { name: /app\.version/ })).toContainText("v1.0.0 (after rollback)");
  await shot(page, "rollback");
});

test("at 390x844 a rollout and its rollback show in every panel without a reload, nothing overflows", async ({ page, request }) => {
  await signIn(page, ADMIN);
  token ||= await createToken(page, "ux-phone", "admin");
  await page.setViewportSize(PHONE);
  await page.goto(`/environments/${NAME}`);
  await expectNoHorizontalOverflow(page);
  // The roll forward comes from someone else (the API): the page follows it.
  const forward = await rollOutViaApi(request, token, NAME, "v1.1.0");
  expect(forward.status, forward.reason ?? "").toBe("succeeded");
  await expectAllSayLive(page, "green", "v1.1.0");
  await rollBackInUi(page, "v1.0.0");
  await expectAllSayLive(page, "blue", "v1.0.0");
  await expectNoHorizontalOverflow(page);
  // The menu collapses behind a button and opens in full.
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toBeVisible();
  await expectNoHorizontalOverflow(page);
});

test("Switchyard's automatic rollback is in the audit log with actor switchyard and its reason", async ({ page, request }) => {
  await signIn(page, ADMIN);
  token ||= await createToken(page, "ux-audit", "admin");
  const patch = await request.patch(`/api/v1/environments/${NAME}`, {
    headers: bearer(token),
    data: { app: { source: { kind: "al2023", userData: userDataWith("error_rate=1") } } },
  });
  expect(patch.status(), await patch.text()).toBe(200);
  const bad = await rollOutViaApi(request, token, NAME, "vbad");
  expect(bad.status, bad.reason ?? "").toBe("rolled_back");

  await page.setViewportSize(DESKTOP);
  await page.goto("/audit?actor=switchyard");
  const row = page.getByTestId("audit-event").filter({ hasText: "rollout.rolled_back" }).first();
  await expect(row).toContainText("switchyard");
  await expect(row.getByTestId("audit-reason")).toContainText(bad.reason ?? "");
  await shot(page, "audit");
});

test("accessibility: no serious or critical axe violations on any page, wide and at 390 px", async ({ page }) => {
  await signIn(page, ADMIN);
  const pages = [
    "/environments",
    `/environments/${NAME}`,
    `/environments/${NAME}/edit`,
    "/environments/new",
    "/accounts",
    "/audit",
    "/admin/users",
    "/admin/tokens",
  ];
  const failures: string[] = [];
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      const result = await new AxeBuilder({ page }).analyze();
      for (const v of result.violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
        failures.push(`${viewport.width}px ${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
      if (viewport === PHONE) await expectNoHorizontalOverflow(page);
    }
  }
  // Signed out: sign-in page.
  await page.context().clearCookies();
  await page.setViewportSize(DESKTOP);
  await page.goto("/sign-in");
  const signInResult = await new AxeBuilder({ page }).analyze();
  for (const v of signInResult.violations.filter((x) => x.impact === "serious" || x.impact === "critical"))
    failures.push(`/sign-in: ${v.id} (${v.impact})`);
  expect(failures).toEqual([]);
});
