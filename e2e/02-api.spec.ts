import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN, createToken, signIn } from "./helpers";

/**
 * REST API v1 over real HTTP with tokens created in the UI: CRUD, JSON errors with codes and
 * field details, roles, and the OpenAPI document whose example bodies are valid.
 */
test.describe.configure({ mode: "serial" });

let adminToken = "";
let viewerToken = "";

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

test("admins create API tokens in the UI, shown once", async ({ page }) => {
  await signIn(page, ADMIN);
  adminToken = await createToken(page, "ci-admin", "admin");
  viewerToken = await createToken(page, "dashboards", "viewer");
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByRole("table").getByText("ci-admin")).toBeVisible();
});

test("without a valid token the API answers 401 JSON", async ({ request }) => {
  for (const headers of [{}, bearer("swy_not-a-real-token")]) {
    const res = await request.get("/api/v1/environments", { headers });
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe("UNAUTHENTICATED");
  }
});

test("the OpenAPI document's example request body creates an environment", async ({ request }) => {
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  const create = doc.paths["/api/v1/environments"].post;
  const example = create.requestBody.content["application/json"].example;
  const res = await request.post("/api/v1/environments", { headers: bearer(adminToken), data: example });
  expect(res.status(), await res.text()).toBe(201);
  const body = await res.json();
  expect(body).toMatchObject({ name: example.name, status: "draft", specVersion: 1 });
  // Every operation with a body carries an example.
  for (const [p, ops] of Object.entries<Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>>(doc.paths)) {
    for (const [verb, op] of Object.entries(ops)) {
      if (op && typeof op === "object" && "requestBody" in op && op.requestBody)
        expect(op.requestBody.content["application/json"].example, `${verb} ${p}`).toBeTruthy();
    }
  }
  await checkPatch(request, example.name);
});

async function checkPatch(request: APIRequestContext, name: string) {
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  const patchExample = doc.paths["/api/v1/environments/{name}"].patch.requestBody.content["application/json"].example;
  const res = await request.patch(`/api/v1/environments/${name}`, { headers: bearer(adminToken), data: patchExample });
  expect(res.status(), await res.text()).toBe(200);
  const body = await res.json();
  expect(body.specVersion).toBe(2);
  expect(body.changed).toBe(true);
  expect(body.spec.capacity).toEqual({ min: 2, desired: 3, max: 8 });
}

test("bad input gets 400 with field details; a taken name 409; unknown 404", async ({ request }) => {
  const bad = await request.post("/api/v1/environments", {
    headers: bearer(adminToken),
    data: {
      name: "api-bad",
      account: "local",
      region: "eu-west-1",
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"],
      instanceType: "t9.nano",
    },
  });
  expect(bad.status()).toBe(400);
  const err = (await bad.json()).error;
  expect(err.code).toBe("VALIDATION_FAILED");
  expect(err.fields.instanceType[0]).toMatch(/Unknown instance type/);
  expect(err.fields.capacity ?? err.fields["capacity.min"]).toBeTruthy();

  const notJson = await request.post("/api/v1/environments", {
    headers: { ...bearer(adminToken), "content-type": "application/json" },
    data: "{nope",
  });
  expect(notJson.status()).toBe(400);

  const dup = await request.post("/api/v1/environments", {
    headers: bearer(adminToken),
    data: (await (await request.get("/api/v1/environments/shop-staging", { headers: bearer(adminToken) })).json()).spec,
  });
  expect(dup.status()).toBe(409);
  expect((await dup.json()).error.fields.name[0]).toMatch(/already exists/);

  const missing = await request.get("/api/v1/environments/nope-nope", { headers: bearer(adminToken) });
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error.code).toBe("NOT_FOUND");
});

test("a viewer token reads but cannot change anything", async ({ request }) => {
  const list = await request.get("/api/v1/environments", { headers: bearer(viewerToken) });
  expect(list.status()).toBe(200);
  expect((await list.json()).environments.map((e: { name: string }) => e.name)).toContain("shop-staging");
  for (const res of [
    await request.patch("/api/v1/environments/shop-staging", { headers: bearer(viewerToken), data: { capacity: { max: 9 } } }),
    await request.delete("/api/v1/environments/shop-staging", { headers: bearer(viewerToken) }),
  ]) {
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
  }
});

test("DELETE marks the environment deleted and frees its name", async ({ request }) => {
  const del = await request.delete("/api/v1/environments/shop-staging", { headers: bearer(adminToken) });
  expect(del.status()).toBe(200);
  expect((await del.json()).status).toBe("deleted");
  expect((await request.get("/api/v1/environments/shop-staging", { headers: bearer(adminToken) })).status()).toBe(404);
});
