import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, apiSpec, bearer, createToken, inviteAndAccept, signIn } from "./helpers";

/**
 * Issue 14, the authentication findings, through the real server and a real browser:
 * redirect payloads after sign-in, CSRF from a page on another origin of the same site, the
 * admin plugin's endpoints, token expiry in the admin UI, and brute force through the sign-in
 * form and through better-auth's HTTP handler while rotating X-Forwarded-For. The brute force
 * runs last: it locks its victims (and counts against this machine's address) for 15 minutes.
 */
test.describe.configure({ mode: "serial" });

let adminToken = "";

/** Runs on its own too: creates the first admin when the app has none yet. */
async function ensureAdmin(page: Page) {
  await page.goto("/sign-in");
  if (page.url().endsWith("/setup")) {
    await page.getByLabel("Name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await expect(page).toHaveURL(/\/environments$/);
  } else {
    await signIn(page, ADMIN);
  }
}

test("set-up: an admin and an admin API token", async ({ page }) => {
  await ensureAdmin(page);
  adminToken = await createToken(page, "security-e2e", "admin");
});

test("after sign-in, `next` only ever leads to a page of Switchyard", async ({ browser, baseURL }) => {
  const payloads = [
    "/%5Cevil.example",
    "/\t/evil.example",
    "//evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "/%09/evil.example",
    "javascript:alert(1)",
  ];
  for (const next of payloads) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page, next).toHaveURL(`${baseURL}/environments`);
    await ctx.close();
  }
  // A path on the site is kept.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`/sign-in?next=${encodeURIComponent("/audit?action=user.set_role")}`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseURL}/audit?action=user.set_role`);
  await ctx.close();
});

test("CSRF: a page on another origin of the same site cannot use the admin's session on the API", async ({ page, request, baseURL }) => {
  await signIn(page, ADMIN);
  // The attacker's page: another port on localhost is the same site, so the browser sends the session cookie.
  const target = `${baseURL}/api/v1/environments`;
  const attack = http.createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    // A text/plain form whose body is JSON: `{"name":"csrf-e2e","pad":"="}`.
    res.end(
      `<form id="f" method="POST" action="${target}" enctype="text/plain"><input name='{"name":"csrf-e2e","pad":"' value='"}'></form><script>document.getElementById("f").submit()</script>`,
    );
  });
  await new Promise<void>((r) => attack.listen(0, "127.0.0.1", r));
  try {
    const attackUrl = `http://localhost:${(attack.address() as AddressInfo).port}/`;
    const answered = page.waitForResponse((r) => r.url() === target && r.request().method() === "POST");
    await page.goto(attackUrl);
    const res = await answered;
    expect(res.status()).toBe(403);
    expect((await res.json()).error.message).toMatch(/only from Switchyard's own pages/);
  } finally {
    attack.close();
  }
  expect((await request.get("/api/v1/environments/csrf-e2e", { headers: bearer(adminToken) })).status()).toBe(404);

  // The same session from Switchyard's own origin: a text/plain body is refused, JSON goes through.
  const plain = await page.request.post("/api/v1/environments", {
    headers: { origin: baseURL!, "content-type": "text/plain" },
    data: JSON.stringify(apiSpec("csrf-e2e")),
  });
  expect(plain.status()).toBe(415);
  const json = await page.request.post("/api/v1/environments", { headers: { origin: baseURL! }, data: apiSpec("csrf-e2e") });
  expect(json.status(), await json.text()).toBe(201);
  // Bearer tokens are unaffected by Origin.
  const viaToken = await request.get("/api/v1/environments/csrf-e2e", { headers: { ...bearer(adminToken), origin: "https://ci.example" } });
  expect(viaToken.status()).toBe(200);
  expect(
    (await request.delete("/api/v1/environments/csrf-e2e", { headers: { ...bearer(adminToken), origin: "https://ci.example" } })).status(),
  ).toBe(200);
});

test("better-auth's admin endpoints are closed, even to an admin's session", async ({ page }) => {
  await signIn(page, ADMIN);
  for (const [path, data] of [
    ["/api/auth/admin/create-user", { email: "mallory@example.com", password: "mallory-password-1", name: "Mallory", role: "admin" }],
    ["/api/auth/admin/set-role", { userId: "anyone", role: "admin" }],
    ["/api/auth/admin/impersonate-user", { userId: "anyone" }],
    ["/api/auth/admin/remove-user", { userId: "anyone" }],
  ] as const) {
    const res = await page.request.post(path, { data });
    expect(res.status(), path).toBe(404);
  }
  await page.goto("/admin/users");
  await expect(page.getByText("mallory@example.com")).toHaveCount(0);
});

test("API tokens carry an expiry, 90 days unless chosen, shown in the list", async ({ page }) => {
  await signIn(page, ADMIN);
  await createToken(page, "short-lived", "viewer");
  const in90 = new Date(Date.now() + 90 * 86400_000).toISOString().slice(0, 10);
  await page.reload();
  await expect(page.getByTestId("token-short-lived-expires")).toHaveText(new RegExp(in90.slice(0, 8)));

  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill("week");
  await form.getByLabel("Role", { exact: true }).selectOption("deployer");
  await form.getByLabel("Expires").selectOption("7");
  await form.getByRole("button", { name: /create/i }).click();
  await expect(page.getByTestId("new-token")).toBeVisible();
  await page.reload();
  const in7 = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
  await expect(page.getByTestId("token-week-expires")).toHaveText(new RegExp(in7.slice(0, 8)));
  await expect(page.getByRole("table").getByText(`by ${ADMIN.email}`).first()).toBeVisible();
});

test.describe("brute force (runs last: it locks its victims for 15 minutes)", () => {
  const formVictim = { email: "brute-form@example.com", password: "form-victim-password-1" };
  const httpVictim = { email: "brute-http@example.com", password: "http-victim-password-1" };
  let n = 0;
  const forged = () => ({ "x-forwarded-for": `203.0.113.${++n % 250}`, "x-real-ip": `198.51.100.${n % 250}` });

  test("the victims", async ({ page, browser }) => {
    await signIn(page, ADMIN);
    await inviteAndAccept(page, browser, formVictim, "deployer");
    await inviteAndAccept(page, browser, httpVictim, "viewer");
  });

  test("the sign-in form: 25 wrong passwords with a new X-Forwarded-For each, then the right password is refused", async ({ page }) => {
    await page.goto("/sign-in");
    const alert = page.getByRole("alert").filter({ hasText: /Wrong email or password|Too many attempts/ });
    /** One submission of the form (a server action POST to /sign-in), waiting for its answer. */
    const attempt = async (password: string) => {
      await page.setExtraHTTPHeaders(forged());
      await page.getByLabel("Email").fill(formVictim.email);
      await page.getByLabel("Password").fill(password);
      const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/sign-in");
      await page.getByRole("button", { name: "Sign in" }).click();
      await answered;
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    };
    for (let i = 0; i < 25; i++) {
      await attempt(`wrong-password-${i}`);
      await expect(alert).toHaveText(i < 5 ? "Wrong email or password." : "Too many attempts; try again in 15 minutes.");
    }
    await attempt(formVictim.password);
    await expect(alert).toHaveText("Too many attempts; try again in 15 minutes.");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("better-auth's HTTP handler: 25 wrong passwords with a new X-Forwarded-For each, then 429 for the right one", async ({
    request,
    baseURL,
  }) => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await request.post("/api/auth/sign-in/email", {
        headers: { origin: baseURL!, ...forged() },
        data: { email: httpVictim.email, password: `wrong-password-${i}` },
      });
      statuses.push(res.status());
    }
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(20).fill(429)]);
    const right = await request.post("/api/auth/sign-in/email", { headers: { origin: baseURL!, ...forged() }, data: httpVictim });
    expect(right.status()).toBe(429);
    expect((await right.json()).message).toBe("Too many attempts; try again in 15 minutes.");
  });

  test("the admin, who was not attacked, still signs in", async ({ page }) => {
    await signIn(page, ADMIN);
  });
});
