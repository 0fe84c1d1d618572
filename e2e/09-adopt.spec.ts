import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeLaunchTemplatesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, LOCALCLOUD, bearer, createToken, loadCounters, rollOutViaApi, shot, signIn, waitForOperation } from "./helpers";

/**
 * Issue 15, "adopt an existing stack": a team's stack built directly with the AWS SDK (VPC,
 * subnets, ALB, listener, two target groups, a launch template, two Auto Scaling groups; not
 * by Switchyard) is adopted from lists read from the account, deployed to with a canary and
 * rolled back with no failed request under the local cloud's load, and "forget" leaves every
 * resource in place (Describe outputs before and after are equal).
 */
test.describe.configure({ mode: "serial" });

const cfg = { endpoint: LOCALCLOUD, region: "us-east-1", credentials: { accessKeyId: "team", secretAccessKey: "team" } };
const ec2 = new EC2Client(cfg);
const elb = new ElasticLoadBalancingV2Client(cfg);
const asg = new AutoScalingClient(cfg);
const ssm = new SSMClient(cfg);
const LB = "team-shop-lb";
const NAME = "team-shop";
let token = "";
const ids = { lb: "", listener: "", blue: "", green: "", spare: "", spareListener: "" };

const userData = `#!/bin/bash\n# localcloud: boot_seconds=3 latency_ms=5\nexport APP_VERSION=v1\n/opt/shop/start\n`;

/** Describe outputs of everything the team made (what "forget" must leave as it is). */
async function teamState() {
  const lbs = (await elb.send(new DescribeLoadBalancersCommand({ Names: [LB] }))).LoadBalancers ?? [];
  const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: ids.lb }))).Listeners ?? [];
  const tgs = (await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: ids.lb }))).TargetGroups ?? [];
  const groups = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["team-shop-a", "team-shop-b"] })))
    .AutoScalingGroups;
  const lts = (await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["team-shop"] }))).LaunchTemplates ?? [];
  return {
    lbs: lbs.map((l) => [l.LoadBalancerArn, l.State?.Code]),
    listeners: listeners.map((l) => [l.ListenerArn, l.Port, JSON.stringify(l.DefaultActions)]),
    tgs: tgs.map((t) => [t.TargetGroupArn, t.HealthCheckPath]).sort(),
    groups: (groups ?? []).map((g) => [g.AutoScalingGroupName, g.MinSize, g.DesiredCapacity, g.MaxSize, g.LaunchTemplate?.Version]),
    lts: lts.map((t) => [t.LaunchTemplateId, t.LatestVersionNumber]),
  };
}

/** The versions answering on the adopted listener (port 80), through the local cloud's real port for it. */
async function versionsServed(lbName: string, n: number): Promise<string[]> {
  const endpoints = await (await fetch(`${LOCALCLOUD}/_localcloud/endpoints`)).json();
  const lb = endpoints.loadBalancers.find((l: { name: string }) => l.name === lbName);
  const url = lb.listeners.find((l: { port: number }) => l.port === 80).url as string;
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(((await (await fetch(url)).json()) as { version: string }).version);
  return out;
}

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

test("a team's stack, built with the AWS SDK", async () => {
  test.setTimeout(120_000);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16" }))).Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [i, az] of ["us-east-1a", "us-east-1b"].entries())
    subnets.push(
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.77.${i}.0/24`, AvailabilityZone: az }))).Subnet!.SubnetId!,
    );
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
  for (const s of subnets) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rt, SubnetId: s }));
  const albSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "team-shop-lb", Description: "web", VpcId: vpc }))).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: albSg,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
    }),
  );
  const appSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "team-shop-app", Description: "app", VpcId: vpc }))).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: appSg,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: albSg }] }],
    }),
  );
  const lb = (
    await elb.send(new CreateLoadBalancerCommand({ Name: LB, Subnets: subnets, SecurityGroups: [albSg], Scheme: "internet-facing" }))
  ).LoadBalancers![0];
  ids.lb = lb.LoadBalancerArn!;
  const tg = async (name: string) =>
    (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: name,
          Protocol: "HTTP",
          Port: 8080,
          VpcId: vpc,
          HealthCheckPath: "/health",
          HealthCheckIntervalSeconds: 5,
          HealthCheckTimeoutSeconds: 2,
          HealthyThresholdCount: 2,
          UnhealthyThresholdCount: 2,
        }),
      )
    ).TargetGroups![0].TargetGroupArn!;
  ids.blue = await tg("team-shop-a");
  ids.green = await tg("team-shop-b");
  ids.spare = await tg("team-shop-spare");
  const forward = (a: string, b: string) => [
    {
      Type: "forward" as const,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: a, Weight: 100 },
          { TargetGroupArn: b, Weight: 0 },
        ],
      },
    },
  ];
  ids.listener = (
    await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: ids.lb, Protocol: "HTTP", Port: 80, DefaultActions: forward(ids.blue, ids.green) }),
    )
  ).Listeners![0].ListenerArn!;
  ids.spareListener = (
    await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: ids.lb, Protocol: "HTTP", Port: 8081, DefaultActions: forward(ids.blue, ids.spare) }),
    )
  ).Listeners![0].ListenerArn!;
  const image = (await ssm.send(new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" })))
    .Parameter!.Value!;
  const lt = (
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "team-shop",
        LaunchTemplateData: {
          ImageId: image,
          InstanceType: "t3.small",
          SecurityGroupIds: [appSg],
          UserData: Buffer.from(userData).toString("base64"),
        },
      }),
    )
  ).LaunchTemplate!.LaunchTemplateId!;
  const group = (name: string, tgArn: string, desired: number) =>
    asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchTemplate: { LaunchTemplateId: lt, Version: "1" },
        MinSize: desired,
        DesiredCapacity: desired,
        MaxSize: 4,
        VPCZoneIdentifier: subnets.join(","),
        TargetGroupARNs: [tgArn],
        HealthCheckType: "ELB",
        HealthCheckGracePeriod: 30,
      }),
    );
  await expect
    .poll(async () => (await elb.send(new DescribeLoadBalancersCommand({ Names: [LB] }))).LoadBalancers?.[0]?.State?.Code, {
      timeout: 60_000,
      intervals: [1000],
    })
    .toBe("active");
  await group("team-shop-a", ids.blue, 2);
  await group("team-shop-b", ids.green, 0);
  await expect
    .poll(
      async () =>
        ((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ids.blue }))).TargetHealthDescriptions ?? []).filter(
          (t) => t.TargetHealth?.State === "healthy",
        ).length,
      { timeout: 90_000, intervals: [1000] },
    )
    .toBe(2);
  expect(new Set(await versionsServed(LB, 10))).toEqual(new Set(["v1"]));
});

test("adopting checks the stack first: wrong target groups or a target group without a fleet record nothing", async ({ page, request }) => {
  await signInOrSetUp(page);
  token = await createToken(page, "adopt-admin", "admin");
  const base = { name: NAME, account: "local", region: "us-east-1", loadBalancerArn: ids.lb };
  const wrong = await request.post("/api/v1/adoptions", {
    headers: bearer(token),
    data: { ...base, listenerArn: ids.listener, targetGroupArns: [ids.blue, ids.spare] },
  });
  expect(wrong.status()).toBe(400);
  expect((await wrong.json()).error.fields.targetGroupArns[0]).toMatch(/must forward \(weighted\) to exactly the two chosen target groups/);
  const noFleet = await request.post("/api/v1/adoptions", {
    headers: bearer(token),
    data: { ...base, listenerArn: ids.spareListener, targetGroupArns: [ids.blue, ids.spare] },
  });
  expect(noFleet.status()).toBe(400);
  expect((await noFleet.json()).error.fields.targetGroupArns[0]).toMatch(/Target group team-shop-spare has no Auto Scaling group/);
  expect((await request.get(`/api/v1/environments/${NAME}`, { headers: bearer(token) })).status()).toBe(404);
});

test("adopted from the lists read from the account, it shows the live fleet", async ({ request }) => {
  const q = (extra: string) => request.get(`/api/v1/adoptions?account=local&region=us-east-1${extra}`, { headers: bearer(token) });
  const lists = await (await q(`&loadBalancerArn=${encodeURIComponent(ids.lb)}&listenerArn=${encodeURIComponent(ids.listener)}`)).json();
  expect(lists.loadBalancers.map((l: { name: string }) => l.name)).toContain(LB);
  expect(lists.listeners.map((l: { port: number }) => l.port)).toEqual([80, 8081]);
  expect(lists.targetGroups.map((t: { name: string; groups: Array<{ name: string }> }) => [t.name, t.groups.map((g) => g.name)])).toEqual([
    ["team-shop-a", ["team-shop-a"]],
    ["team-shop-b", ["team-shop-b"]],
  ]);
  const adopted = await request.post("/api/v1/adoptions", {
    headers: bearer(token),
    data: {
      name: NAME,
      account: "local",
      region: "us-east-1",
      loadBalancerArn: ids.lb,
      listenerArn: ids.listener,
      targetGroupArns: [ids.blue, ids.green],
      rollout: { strategy: "canary", canarySteps: [50, 100], bakeMinutes: 0.1 },
      rollbackWindowMinutes: 30,
    },
  });
  expect(adopted.status(), await adopted.text()).toBe(201);
  const body = await adopted.json();
  expect(body.spec.app.version).toBe("v1"); // read from the launch template's user data
  expect(body.adopted.groups).toEqual({ blue: "team-shop-a", green: "team-shop-b" });
  const live = await (await request.get(`/api/v1/environments/${NAME}/live`, { headers: bearer(token) })).json();
  expect(live.environment.liveVersion).toBe("v1");
  expect(live.split).toMatchObject({ blue: 100, green: 0 });
});

test("a canary rollout and a one-click rollback on the adopted stack: no failed request", async ({ page, request }) => {
  test.setTimeout(180_000);
  await expect.poll(async () => (await loadCounters(LB)).sent, { timeout: 20_000 }).toBeGreaterThan(0);
  const before = await loadCounters(LB);
  const out = await rollOutViaApi(request, token, NAME, "v2", "canary");
  expect(out.status, out.reason ?? "").toBe("succeeded");
  expect(out.steps.find((s) => s.key === "shift-50")?.status).toBe("succeeded");
  expect(new Set(await versionsServed(LB, 40))).toEqual(new Set(["v2"]));
  const drift = await (await request.get(`/api/v1/environments/${NAME}/drift`, { headers: bearer(token) })).json();
  expect(drift.drift).toEqual([]);

  await signInOrSetUp(page);
  await page.goto(`/environments/${NAME}`);
  await expect(page.getByTestId("adopted-notice")).toBeVisible();
  await shot(page, "adopted-environment");

  const rb = await request.post(`/api/v1/environments/${NAME}/rollback`, { headers: bearer(token) });
  expect(rb.status(), await rb.text()).toBe(202);
  const back = await waitForOperation(request, token, NAME, (await rb.json()).id, ["succeeded", "failed"]);
  expect(back.status, back.reason ?? "").toBe("succeeded");
  expect(new Set(await versionsServed(LB, 40))).toEqual(new Set(["v1"]));
  const after = await loadCounters(LB);
  expect(after.sent - before.sent).toBeGreaterThan(100);
  expect(after.failed - before.failed, "requests failed during the rollout and rollback").toBe(0);
});

test("Patch OS: the newer Amazon Linux 2023 image goes out through a judged canary, same app version", async ({ page, request }) => {
  test.setTimeout(180_000);
  const published = await fetch(`${LOCALCLOUD}/_localcloud/images`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ release: "2023.6.20250301.0", creationDate: "2025-03-01T00:00:00.000Z" }),
  });
  expect(published.status).toBe(201);
  const images = await (await request.get(`/api/v1/environments/${NAME}/os-images`, { headers: bearer(token) })).json();
  expect(images.newerAvailable).toBe(true);
  const old = images.fleets.find((f: { slot: string }) => f.slot === images.liveSlot);
  expect(old.name).toMatch(/^al2023-ami-2023\.6\.20241212/);
  expect(images.latest.name).toMatch(/^al2023-ami-2023\.6\.20250301/);
  await signInOrSetUp(page);
  await page.goto(`/environments/${NAME}`);
  await expect(page.getByTestId("os-newer")).toContainText(images.latest.imageId);

  const before = await loadCounters(LB);
  const started = await request.post(`/api/v1/environments/${NAME}/patch-os`, { headers: bearer(token), data: { strategy: "canary" } });
  expect(started.status(), await started.text()).toBe(202);
  const { operation, to } = await started.json();
  expect(to.imageId).toBe(images.latest.imageId);
  const done = await waitForOperation(request, token, NAME, operation.id, ["succeeded", "rolled_back", "failed"], 150_000);
  expect(done.status, done.reason ?? "").toBe("succeeded");
  // Judged like any release: the canary step carries the judge's verdict.
  const shift = done.steps.find((s) => s.key === "shift-50");
  expect(shift?.status).toBe("succeeded");
  expect(JSON.stringify(shift?.detail)).toMatch(/verdict|outcome/);
  const after = await (await request.get(`/api/v1/environments/${NAME}/os-images`, { headers: bearer(token) })).json();
  const live = after.fleets.find((f: { slot: string }) => f.slot === after.liveSlot);
  expect(live.imageId).toBe(images.latest.imageId);
  expect(live.inService).toBeGreaterThan(0);
  expect(after.newerAvailable).toBe(false);
  expect(new Set(await versionsServed(LB, 20))).toEqual(new Set(["v1"]));
  const counters = await loadCounters(LB);
  expect(counters.failed - before.failed, "requests failed during Patch OS").toBe(0);
});

test("forget leaves every resource in place", async ({ page, request }) => {
  const before = await teamState();
  const forgot = await request.post(`/api/v1/environments/${NAME}/teardown`, { headers: bearer(token) });
  expect(forgot.status(), await forgot.text()).toBe(200);
  expect((await forgot.json()).keptInAws).toEqual(expect.arrayContaining([LB, "team-shop-a", "team-shop-b", "team-shop"]));
  expect(await teamState()).toEqual(before);
  expect(before.lbs).toEqual([[ids.lb, "active"]]);
  expect(before.groups.map((g) => g[0])).toEqual(["team-shop-a", "team-shop-b"]);
  expect((await request.get(`/api/v1/environments/${NAME}`, { headers: bearer(token) })).status()).toBe(404);
  expect(new Set(await versionsServed(LB, 10))).toEqual(new Set(["v1"]));
  // The same stack adopted again through the form (lists read from the account), then forgotten from its page.
  await signInOrSetUp(page);
  await page.goto("/environments/adopt");
  await page.getByRole("button", { name: "Read load balancers" }).click();
  await page.getByLabel("Load balancer", { exact: true }).selectOption(ids.lb);
  await page.getByLabel("Listener", { exact: true }).selectOption(ids.listener);
  await expect(page.getByTestId("adopt-target-groups")).toContainText("team-shop-b (weight 100): team-shop-b");
  await page.getByLabel("Environment name").fill("team-shop-ui");
  await shot(page, "adopt-form");
  await page.getByRole("button", { name: "Adopt", exact: true }).click();
  await expect(page).toHaveURL(/\/environments\/team-shop-ui$/);
  await expect(page.getByTestId("adopted-notice")).toContainText("team-shop-lb");
  await page.getByRole("button", { name: "Forget" }).click();
  await page.getByRole("alertdialog").getByRole("textbox").fill("team-shop-ui");
  await page.getByRole("alertdialog").getByRole("button", { name: "Forget" }).click();
  await expect(page).toHaveURL(/\/environments$/);
  expect(await teamState()).toEqual(before);
});
