/**
 * ELBv2 listener rules: CreateRule / DescribeRules / ModifyRule / SetRulePriorities / DeleteRule,
 * rule tags and AWS's validation, through @aws-sdk/client-elastic-load-balancing-v2 against the
 * in-process local cloud; then the data plane: a rule routes real HTTP through the listener
 * port, and stops routing once deleted. Condition matching in detail: dataplane-rule-match.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  InvalidConfigurationRequestException,
  ListenerNotFoundException,
  ModifyListenerCommand,
  ModifyRuleCommand,
  OperationNotPermittedException,
  PriorityInUseException,
  RemoveTagsCommand,
  ResourceInUseException,
  RuleNotFoundException,
  SetRulePrioritiesCommand,
  TargetGroupAssociationLimitException,
  TargetGroupNotFoundException,
  TooManyRulesException,
  type Action,
  type RuleCondition,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, targetStates, waitForHealthy, type WebStack } from "./stack-helpers.ts";
import { agent, seriesSum, simNow } from "./metrics-helpers.ts";
import { FINAL_AFTER_MINUTE_END_MS } from "../src/sim/metric-delay.ts";
import { request } from "node:http";

let lc: TestCloud;
let vpcId: string;
let subnets: string[];
let counter = 0;

const forward = (arn: string): Action[] => [{ Type: "forward", TargetGroupArn: arn }];
const header = (name: string, ...values: string[]): RuleCondition => ({
  Field: "http-header",
  HttpHeaderConfig: { HttpHeaderName: name, Values: values },
});
const path = (...values: string[]): RuleCondition => ({ Field: "path-pattern", PathPatternConfig: { Values: values } });

async function makeVpc(cidr: string) {
  const vpc = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const id = vpc.Vpc!.VpcId!;
  const ids = [];
  for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
    ids.push(
      (
        await lc.ec2.send(
          new CreateSubnetCommand({ VpcId: id, CidrBlock: cidr.replace(/\.0\.0\/16$/, `.${i + 1}.0/24`), AvailabilityZone: az }),
        )
      ).Subnet!.SubnetId!,
    );
  }
  return { id, subnets: ids };
}

async function createTg(name: string, vpc = vpcId) {
  return (await lc.elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 80, VpcId: vpc }))).TargetGroups![0]
    .TargetGroupArn!;
}

/** A fresh ALB with an HTTP:80 listener forwarding to a fresh target group. */
async function listenerFixture() {
  const n = ++counter;
  const lb = (await lc.elbv2.send(new CreateLoadBalancerCommand({ Name: `rules-lb-${n}`, Subnets: subnets }))).LoadBalancers![0];
  const main = await createTg(`rules-main-${n}`);
  const extra = await createTg(`rules-extra-${n}`);
  const listener = (
    await lc.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forward(main) }),
    )
  ).Listeners![0];
  return { lbArn: lb.LoadBalancerArn!, listenerArn: listener.ListenerArn!, main, extra };
}

const createRule = (
  ListenerArn: string,
  Priority: number,
  Conditions: RuleCondition[],
  Actions: Action[],
  Tags?: Array<{ Key: string; Value: string }>,
) => lc.elbv2.send(new CreateRuleCommand({ ListenerArn, Priority, Conditions, Actions, Tags })).then((r) => r.Rules![0]);

const priorities = async (ListenerArn: string) =>
  (await lc.elbv2.send(new DescribeRulesCommand({ ListenerArn }))).Rules!.map((r) => r.Priority);

beforeAll(async () => {
  lc = await startTestCloud({ speed: 100 });
  ({ id: vpcId, subnets } = await makeVpc("10.60.0.0/16"));
});

afterAll(async () => {
  agent.destroy();
  await lc?.close();
});

describe("rules API", () => {
  it("creates rules in both condition forms and describes them by priority, the default rule last", async () => {
    const f = await listenerFixture();
    const img = await createRule(f.listenerArn, 20, [{ Field: "path-pattern", Values: ["/img/*"] }], forward(f.extra));
    expect(img.RuleArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule\/app\/rules-lb-\d+\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
    expect(img.RuleArn!.startsWith(`${f.listenerArn.replace(":listener/", ":listener-rule/")}/`)).toBe(true);
    expect(img).toMatchObject({
      Priority: "20",
      IsDefault: false,
      Conditions: [{ Field: "path-pattern", Values: ["/img/*"], PathPatternConfig: { Values: ["/img/*"] } }],
    });
    expect(img.Actions![0]).toMatchObject({
      Type: "forward",
      TargetGroupArn: f.extra,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: f.extra, Weight: 1 }] },
    });
    const all: RuleCondition[] = [
      header("X-Probe", "abc"),
      { Field: "host-header", HostHeaderConfig: { Values: ["*.example.com"] } },
      { Field: "query-string", QueryStringConfig: { Values: [{ Key: "v", Value: "2" }] } },
      { Field: "http-request-method", HttpRequestMethodConfig: { Values: ["GET"] } },
      { Field: "source-ip", SourceIpConfig: { Values: ["10.0.0.0/8"] } },
    ];
    const five = await createRule(f.listenerArn, 5, all, [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }]);
    expect(five.Conditions).toEqual([all[0], { ...all[1], Values: ["*.example.com"] }, all[2], all[3], all[4]]);
    expect(await priorities(f.listenerArn)).toEqual(["5", "20", "default"]);
    const byArn = await lc.elbv2.send(new DescribeRulesCommand({ RuleArns: [img.RuleArn!] }));
    expect(byArn.Rules!.map((r) => r.RuleArn)).toEqual([img.RuleArn]);
    const paged = await lc.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn, PageSize: 2 }));
    expect(paged.Rules).toHaveLength(2);
    expect(
      (await lc.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn, Marker: paged.NextMarker }))).Rules![0].IsDefault,
    ).toBe(true);
    // A group only a rule forwards to belongs to the load balancer.
    const tg = (await lc.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [f.extra] }))).TargetGroups![0];
    expect(tg.LoadBalancerArns).toEqual([f.lbArn]);
  });

  it("modifies conditions and actions, and reorders with SetRulePriorities", async () => {
    const f = await listenerFixture();
    const a = await createRule(f.listenerArn, 10, [path("/a/*")], forward(f.extra));
    const b = await createRule(f.listenerArn, 20, [path("/b/*")], forward(f.main));
    const conds = await lc.elbv2.send(new ModifyRuleCommand({ RuleArn: a.RuleArn, Conditions: [header("x-team", "web*")] }));
    expect(conds.Rules![0]).toMatchObject({
      Priority: "10",
      Conditions: [header("x-team", "web*")],
      Actions: [{ Type: "forward", TargetGroupArn: f.extra }],
    });
    const acts = await lc.elbv2.send(
      new ModifyRuleCommand({
        RuleArn: a.RuleArn,
        Actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200", ContentType: "text/plain", MessageBody: "ok" } }],
      }),
    );
    expect(acts.Rules![0].Conditions).toEqual([header("x-team", "web*")]);
    expect(acts.Rules![0].Actions).toEqual([
      { Type: "fixed-response", FixedResponseConfig: { StatusCode: "200", ContentType: "text/plain", MessageBody: "ok" } },
    ]);
    // A swap in one call is fine; each rule keeps its conditions.
    const swapped = await lc.elbv2.send(
      new SetRulePrioritiesCommand({
        RulePriorities: [
          { RuleArn: a.RuleArn, Priority: 20 },
          { RuleArn: b.RuleArn, Priority: 10 },
        ],
      }),
    );
    expect(swapped.Rules!.map((r) => [r.RuleArn, r.Priority])).toEqual([
      [a.RuleArn, "20"],
      [b.RuleArn, "10"],
    ]);
    const described = (await lc.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn }))).Rules!;
    expect(described.map((r) => r.RuleArn)).toEqual([b.RuleArn, a.RuleArn, expect.stringContaining(":listener-rule/")]);
    expect(
      await expectError(lc.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a.RuleArn, Priority: 10 }] }))),
    ).toBeInstanceOf(PriorityInUseException);
    const twice = await expectError(
      lc.elbv2.send(
        new SetRulePrioritiesCommand({
          RulePriorities: [
            { RuleArn: a.RuleArn, Priority: 30 },
            { RuleArn: b.RuleArn, Priority: 30 },
          ],
        }),
      ),
    );
    expect(twice.name).toBe("ValidationError");
    expect(await priorities(f.listenerArn)).toEqual(["10", "20", "default"]); // a failed call changes nothing
    expect((await expectError(lc.elbv2.send(new ModifyRuleCommand({ RuleArn: a.RuleArn })))).name).toBe("ValidationError");
  });

  it("tags rules: CreateRule Tags, AddTags / RemoveTags / DescribeTags by rule ARN, the default rule included", async () => {
    const f = await listenerFixture();
    const rule = await createRule(f.listenerArn, 1, [path("/t")], forward(f.extra), [{ Key: "team", Value: "web" }]);
    const defaultArn = (await lc.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn }))).Rules!.find((r) => r.IsDefault)!
      .RuleArn!;
    await lc.elbv2.send(new AddTagsCommand({ ResourceArns: [rule.RuleArn!, defaultArn], Tags: [{ Key: "env", Value: "prod" }] }));
    await lc.elbv2.send(new RemoveTagsCommand({ ResourceArns: [rule.RuleArn!], TagKeys: ["team"] }));
    const tags = await lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: [rule.RuleArn!, defaultArn] }));
    expect(tags.TagDescriptions).toEqual([
      { ResourceArn: rule.RuleArn, Tags: [{ Key: "env", Value: "prod" }] },
      { ResourceArn: defaultArn, Tags: [{ Key: "env", Value: "prod" }] },
    ]);
    await lc.elbv2.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
    expect(await expectError(lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: [rule.RuleArn!] })))).toBeInstanceOf(
      RuleNotFoundException,
    );
  });

  it("raises AWS's errors: PriorityInUse, RuleNotFound, OperationNotPermitted, ListenerNotFound, ValidationError", async () => {
    const f = await listenerFixture();
    const rule = await createRule(f.listenerArn, 7, [path("/x")], forward(f.extra));
    expect(await expectError(createRule(f.listenerArn, 7, [path("/y")], forward(f.main)))).toBeInstanceOf(PriorityInUseException);
    const missingArn = rule.RuleArn!.replace(/[0-9a-f]{16}$/, "0123456789abcdef");
    expect(await expectError(lc.elbv2.send(new DeleteRuleCommand({ RuleArn: missingArn })))).toBeInstanceOf(RuleNotFoundException);
    expect(await expectError(lc.elbv2.send(new ModifyRuleCommand({ RuleArn: missingArn, Conditions: [path("/z")] })))).toBeInstanceOf(
      RuleNotFoundException,
    );
    expect(await expectError(lc.elbv2.send(new DescribeRulesCommand({ RuleArns: [missingArn] })))).toBeInstanceOf(RuleNotFoundException);
    expect(
      await expectError(lc.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: missingArn, Priority: 9 }] }))),
    ).toBeInstanceOf(RuleNotFoundException);
    const defaultArn = (await lc.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn }))).Rules!.at(-1)!.RuleArn!;
    expect(await expectError(lc.elbv2.send(new DeleteRuleCommand({ RuleArn: defaultArn })))).toBeInstanceOf(OperationNotPermittedException);
    expect(await expectError(lc.elbv2.send(new ModifyRuleCommand({ RuleArn: defaultArn, Actions: forward(f.extra) })))).toBeInstanceOf(
      OperationNotPermittedException,
    );
    expect(
      await expectError(lc.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: defaultArn, Priority: 3 }] }))),
    ).toBeInstanceOf(OperationNotPermittedException);
    const ghostListener = f.listenerArn.replace(/[0-9a-f]{16}$/, "0123456789abcdef");
    expect(await expectError(createRule(ghostListener, 1, [path("/")], forward(f.main)))).toBeInstanceOf(ListenerNotFoundException);
    expect(
      (await expectError(lc.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn, RuleArns: [rule.RuleArn!] })))).name,
    ).toBe("ValidationError");

    const invalid: Array<[string, number, RuleCondition[], Action[]?]> = [
      ["priority 0", 0, [path("/")]],
      ["priority 50001", 50001, [path("/")]],
      ["no conditions", 1, []],
      ["unknown field", 1, [{ Field: "cookie", Values: ["a"] }]],
      ["Values for http-header", 1, [{ Field: "http-header", Values: ["a"] }]],
      ["both Values and a config", 1, [{ Field: "path-pattern", Values: ["/a"], PathPatternConfig: { Values: ["/b"] } }]],
      ["another field's config", 1, [{ Field: "path-pattern", HostHeaderConfig: { Values: ["a.example.com"] } }]],
      ["two legacy values", 1, [{ Field: "path-pattern", Values: ["/a", "/b"] }]],
      ["4 values in one condition", 1, [path("/a", "/b", "/c", "/d")]],
      ["6 values in a rule", 1, [path("/a", "/b", "/c"), header("x-a", "1", "2"), header("x-b", "3")]],
      ["6 wildcards in a rule", 1, [path("/a/*/*/*"), header("x-a", "*?*")]],
      ["two path-pattern conditions", 1, [path("/a"), path("/b")]],
      ["an http-header on Host", 1, [header("Host", "a.example.com")]],
      ["a header name with a wildcard", 1, [header("x-*", "a")]],
      ["a bad CIDR", 1, [{ Field: "source-ip", SourceIpConfig: { Values: ["10.0.0.0/33"] } }]],
      ["a host without a dot", 1, [{ Field: "host-header", Values: ["localhost"] }]],
      ["a lowercase method", 1, [{ Field: "http-request-method", HttpRequestMethodConfig: { Values: ["get"] } }]],
      ["a value of 129 characters", 1, [header("x-long", "a".repeat(129))]],
      ["no actions", 1, [path("/")], []],
      [
        "two terminal actions",
        1,
        [path("/")],
        [...forward(f.main), { Type: "fixed-response", FixedResponseConfig: { StatusCode: "200" } }],
      ],
    ];
    for (const [label, priority, conditions, actions] of invalid) {
      const err = await expectError(createRule(f.listenerArn, priority, conditions, actions ?? forward(f.main)));
      expect([label, err.name]).toEqual([
        label,
        label === "two terminal actions" ? "InvalidLoadBalancerActionException" : "ValidationError",
      ]);
    }
    expect(await priorities(f.listenerArn)).toEqual(["7", "default"]);
  });

  it("checks forward actions like the listener does: unknown, foreign-VPC and other load balancers' target groups", async () => {
    const f = await listenerFixture();
    const other = await listenerFixture();
    const ghost = f.main.replace(/[0-9a-f]{16}$/, "0123456789abcdef");
    expect(await expectError(createRule(f.listenerArn, 1, [path("/")], forward(ghost)))).toBeInstanceOf(TargetGroupNotFoundException);
    expect(await expectError(createRule(f.listenerArn, 1, [path("/")], forward(other.main)))).toBeInstanceOf(
      TargetGroupAssociationLimitException,
    );
    const foreignVpc = await makeVpc("10.61.0.0/16");
    const foreign = await createTg(`rules-foreign-${counter}`, foreignVpc.id);
    expect(await expectError(createRule(f.listenerArn, 1, [path("/")], forward(foreign)))).toBeInstanceOf(
      InvalidConfigurationRequestException,
    );
    const rule = await createRule(f.listenerArn, 1, [path("/")], forward(f.extra));
    expect(await expectError(lc.elbv2.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Actions: forward(other.main) })))).toBeInstanceOf(
      TargetGroupAssociationLimitException,
    );
  });

  it("allows 100 rules per load balancer, then TooManyRules", async () => {
    const f = await listenerFixture();
    for (let p = 1; p <= 100; p++) await createRule(f.listenerArn, p, [path(`/r${p}`)], forward(f.main));
    expect(await expectError(createRule(f.listenerArn, 101, [path("/r101")], forward(f.main)))).toBeInstanceOf(TooManyRulesException);
    expect((await priorities(f.listenerArn)).slice(0, 3)).toEqual(["1", "2", "3"]);
  });

  it("keeps a target group a rule forwards to in use: DeleteTargetGroup is refused until the rule or listener goes", async () => {
    const f = await listenerFixture();
    const rule = await createRule(f.listenerArn, 1, [path("/")], forward(f.extra));
    expect(await expectError(lc.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: f.extra })))).toBeInstanceOf(
      ResourceInUseException,
    );
    await lc.elbv2.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
    expect(
      (await lc.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [f.extra] }))).TargetGroups![0].LoadBalancerArns,
    ).toEqual([]);
    await lc.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: f.extra }));
    // Deleting the listener deletes its rules.
    const again = await createRule(f.listenerArn, 1, [path("/")], forward(f.main));
    await lc.elbv2.send(new DeleteListenerCommand({ ListenerArn: f.listenerArn }));
    expect(await expectError(lc.elbv2.send(new DescribeRulesCommand({ RuleArns: [again.RuleArn!] })))).toBeInstanceOf(
      RuleNotFoundException,
    );
  });
});

/** One GET through the listener port with extra headers: status and the serving version. */
function probe(url: string, headers: Record<string, string> = {}): Promise<{ status: number; version?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, version: res.statusCode === 200 ? JSON.parse(body).version : undefined }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("data plane", () => {
  let stack: WebStack;

  it("routes only requests with X-Probe: abc to the rule's target group, until the rule is deleted", async () => {
    stack = await buildWebStack(lc, {
      fleets: [
        { name: "blue", version: "v1", capacity: 2 },
        { name: "green", version: "v2", capacity: 1 },
      ],
    });
    // Default action: blue only. Green is referenced by nothing yet, so its target is not in use.
    await lc.elbv2.send(
      new ModifyListenerCommand({ ListenerArn: stack.listenerArn, DefaultActions: forward(stack.fleets.blue.targetGroupArn) }),
    );
    await waitForHealthy(lc, stack.fleets.blue.targetGroupArn, 2);
    const green = stack.fleets.green.targetGroupArn;
    expect(Object.values(await targetStates(lc, green)).map((t) => t.reason)).toEqual(["Target.NotInUse"]);

    const rule = await createRule(stack.listenerArn, 10, [header("X-Probe", "abc")], forward(green));
    await waitForHealthy(lc, green, 1); // a group only a rule uses is health-checked
    const start = (await simNow(lc)) - 60_000;
    const versions = async (headers: Record<string, string>, n = 10) => {
      const out = new Set<string>();
      for (let i = 0; i < n; i++) out.add(String((await probe(`${stack.url}/`, headers)).version));
      return [...out];
    };
    expect(await versions({ "X-Probe": "abc" })).toEqual(["v2"]);
    expect(await versions({ "x-probe": "ABC" })).toEqual(["v2"]); // names and values compare case-insensitively
    expect(await versions({})).toEqual(["v1"]);
    expect(await versions({ "X-Probe": "abcd" })).toEqual(["v1"]);
    expect(await versions({ "X-Other": "abc" })).toEqual(["v1"]);

    // RequestCount per target group counts the rule's traffic under the rule's group.
    // CloudWatch shows a minute complete up to 220 s after it ends (metric-delay.ts): wait as a client on AWS must.
    await lc.advance(60_000 + FINAL_AFTER_MINUTE_END_MS);
    const end = (await simNow(lc)) + 60_000;
    const LoadBalancer = stack.loadBalancerArn.slice(stack.loadBalancerArn.indexOf(":loadbalancer/") + 14);
    const count = (tg: string) =>
      seriesSum(lc, {
        namespace: "AWS/ApplicationELB",
        metric: "RequestCount",
        start,
        end,
        dims: { TargetGroup: tg.slice(tg.lastIndexOf(":") + 1), LoadBalancer },
      });
    expect(await count(green)).toBe(20);
    expect(await count(stack.fleets.blue.targetGroupArn)).toBe(30);

    // The next request after DeleteRule sees the change.
    await lc.elbv2.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
    expect(await versions({ "X-Probe": "abc" })).toEqual(["v1"]);
    expect(Object.values(await targetStates(lc, green)).map((t) => t.reason)).toEqual(["Target.NotInUse"]);
  }, 60_000);
});
