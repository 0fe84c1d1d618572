/**
 * Security group rules as Terraform's AWS provider and Ansible's amazon.aws use them: IPv6
 * ranges, prefix lists, sgr- ids with tags, DescribeSecurityGroupRules with filters and paging,
 * ModifySecurityGroupRules, and AWS's errors for duplicates and missing rules. Also through
 * awscli and boto3.
 */
import { describe, it, expect, beforeEach } from "vitest";
import { ec2, lc, useEc2Cloud } from "./ec2-fixture.ts";
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTagsCommand,
  ModifySecurityGroupRulesCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { expectError } from "./helpers.ts";
import { aws, awsOk, boto3, boto3Missing, hasAwsCli } from "./ec2-cli-helpers.ts";
import { buildNetwork } from "./ec2-net-helpers.ts";

useEc2Cloud({ resetBeforeEach: true });

let groupId: string;
beforeEach(async () => {
  const net = await buildNetwork(ec2, { subnetCount: 1 });
  groupId = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "web", Description: "web" }))).GroupId!;
});

const https6 = { IpProtocol: "tcp", FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: "::/0", Description: "https v6" }] };

describe("IPv6, prefix lists and rule ids", () => {
  it("authorizes ::/0 with tagged sgr- rules, shows Ipv6Ranges, refuses duplicates, revokes once", async () => {
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [https6],
        TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [{ Key: "Name", Value: "https6" }] }],
      }),
    );
    expect(out.Return).toBe(true);
    expect(out.SecurityGroupRules).toHaveLength(1);
    const rule = out.SecurityGroupRules![0];
    expect(rule.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    expect(rule).toMatchObject({
      GroupId: groupId,
      IsEgress: false,
      IpProtocol: "tcp",
      FromPort: 443,
      ToPort: 443,
      CidrIpv6: "::/0",
      Description: "https v6",
      Tags: [{ Key: "Name", Value: "https6" }],
    });
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0];
    expect(group.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: "tcp",
        FromPort: 443,
        Ipv6Ranges: [{ CidrIpv6: "::/0", Description: "https v6" }],
        IpRanges: [],
      }),
    ]);
    expect(
      (await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [https6] })))).name,
    ).toBe("InvalidPermission.Duplicate");
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [https6] }));
    const again = await expectError(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [https6] })));
    expect(again.name).toBe("InvalidPermission.NotFound");
    const bad = await expectError(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ ...https6, Ipv6Ranges: [{ CidrIpv6: "::zz/0" }] }],
        }),
      ),
    );
    expect(bad.name).toBe("InvalidParameterValue");
  });

  it("egress to ::/0 and to the S3 prefix list, revoked by rule id", async () => {
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "-1", Ipv6Ranges: [{ CidrIpv6: "::/0" }] }],
      }),
    );
    const pl = await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: "pl-63a5400a" }] }],
      }),
    );
    expect(pl.SecurityGroupRules![0]).toMatchObject({ IsEgress: true, PrefixListId: "pl-63a5400a" });
    const egress = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0].IpPermissionsEgress!;
    expect(egress.find((p) => p.IpProtocol === "-1")).toMatchObject({
      IpRanges: [{ CidrIp: "0.0.0.0/0" }],
      Ipv6Ranges: [{ CidrIpv6: "::/0" }],
    });
    expect(egress.find((p) => p.IpProtocol === "tcp")!.PrefixListIds).toEqual([{ PrefixListId: "pl-63a5400a" }]);
    await ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: groupId, SecurityGroupRuleIds: [pl.SecurityGroupRules![0].SecurityGroupRuleId!] }),
    );
    const missingPl = await expectError(
      ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: "pl-00000000" }] }],
        }),
      ),
    );
    expect(missingPl.name).toBe("InvalidPrefixListID.NotFound");
    const missingId = await expectError(
      ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, SecurityGroupRuleIds: ["sgr-0123456789abcdef0"] })),
    );
    expect(missingId.name).toBe("InvalidSecurityGroupRuleId.NotFound");
  });
});

describe("DescribeSecurityGroupRules, tags and ModifySecurityGroupRules", () => {
  it("filters by group and rule id, pages, and tags rules with CreateTags / DeleteTags", async () => {
    const ranges = Array.from({ length: 7 }, (_, i) => ({ CidrIp: `10.${i}.0.0/16` }));
    const added = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: ranges }],
      }),
    );
    const first = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }], MaxResults: 5 }),
    );
    expect(first.SecurityGroupRules).toHaveLength(5);
    const second = await ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: [{ Name: "group-id", Values: [groupId] }],
        MaxResults: 5,
        NextToken: first.NextToken,
      }),
    );
    expect(second.NextToken).toBeUndefined();
    // 7 ingress rules plus the default egress rule.
    expect(first.SecurityGroupRules!.length + second.SecurityGroupRules!.length).toBe(8);
    const ruleId = added.SecurityGroupRules![3].SecurityGroupRuleId!;
    const one = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "security-group-rule-id", Values: [ruleId] }] }));
    expect(one.SecurityGroupRules!.map((r) => r.CidrIpv4)).toEqual(["10.3.0.0/16"]);
    await ec2.send(new CreateTagsCommand({ Resources: [ruleId], Tags: [{ Key: "team", Value: "ops" }] }));
    const tagged = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "tag:team", Values: ["ops"] }] }));
    expect(tagged.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId)).toEqual([ruleId]);
    expect(tagged.SecurityGroupRules![0].Tags).toEqual([{ Key: "team", Value: "ops" }]);
    const described = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-type", Values: ["security-group-rule"] }] }));
    expect(described.Tags).toEqual([{ ResourceId: ruleId, ResourceType: "security-group-rule", Key: "team", Value: "ops" }]);
    await ec2.send(new DeleteTagsCommand({ Resources: [ruleId], Tags: [{ Key: "team" }] }));
    expect(
      (await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] }))).SecurityGroupRules![0].Tags,
    ).toBeUndefined();
    expect(
      (await expectError(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ["sgr-0123456789abcdef0"] })))).name,
    ).toBe("InvalidSecurityGroupRuleId.NotFound");
    expect(
      (await expectError(ec2.send(new CreateTagsCommand({ Resources: ["sgr-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] })))).name,
    ).toBe("InvalidSecurityGroupRuleId.NotFound");
  });

  it("modifies a rule in place, keeping its id", async () => {
    const added = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const id = added.SecurityGroupRules![0].SecurityGroupRuleId!;
    const out = await ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId: groupId,
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: id,
            SecurityGroupRule: { IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIpv4: "10.0.0.0/8", Description: "internal https" },
          },
        ],
      }),
    );
    expect(out.Return).toBe(true);
    const rule = (await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }))).SecurityGroupRules![0];
    expect(rule).toMatchObject({
      SecurityGroupRuleId: id,
      FromPort: 443,
      ToPort: 443,
      CidrIpv4: "10.0.0.0/8",
      Description: "internal https",
    });
    const missing = await expectError(
      ec2.send(
        new ModifySecurityGroupRulesCommand({
          GroupId: groupId,
          SecurityGroupRules: [
            { SecurityGroupRuleId: "sgr-0123456789abcdef0", SecurityGroupRule: { IpProtocol: "-1", CidrIpv4: "0.0.0.0/0" } },
          ],
        }),
      ),
    );
    expect(missing.name).toBe("InvalidSecurityGroupRuleId.NotFound");
  });
});

describe("through awscli and boto3", () => {
  it("awscli: ::/0 ingress, describe-security-group-rules, revoking a missing rule", async () => {
    if (!hasAwsCli()) throw new Error("/usr/bin/aws is missing: apt-get install awscli");
    const perms = JSON.stringify([{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: "::/0" }] }]);
    const added = await awsOk<{ Return: boolean; SecurityGroupRules: Array<{ SecurityGroupRuleId: string; CidrIpv6: string }> }>(lc.url, [
      "ec2",
      "authorize-security-group-ingress",
      "--group-id",
      groupId,
      "--ip-permissions",
      perms,
    ]);
    expect(added.Return).toBe(true);
    expect(added.SecurityGroupRules[0].CidrIpv6).toBe("::/0");
    const rules = await awsOk<{ SecurityGroupRules: Array<{ SecurityGroupRuleId: string }> }>(lc.url, [
      "ec2",
      "describe-security-group-rules",
      "--filters",
      `Name=group-id,Values=${groupId}`,
    ]);
    expect(rules.SecurityGroupRules.map((r) => r.SecurityGroupRuleId)).toContain(added.SecurityGroupRules[0].SecurityGroupRuleId);
    await awsOk(lc.url, ["ec2", "revoke-security-group-ingress", "--group-id", groupId, "--ip-permissions", perms]);
    const again = await aws(lc.url, ["ec2", "revoke-security-group-ingress", "--group-id", groupId, "--ip-permissions", perms]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("(InvalidPermission.NotFound)");
  });

  it("boto3: the same calls and codes", async (ctx) => {
    const missing = boto3Missing();
    if (missing) {
      console.warn(missing);
      ctx.skip();
    }
    const out = await boto3(
      lc.url,
      [
        `perm = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]`,
        `added = ec2.authorize_security_group_egress(GroupId="${groupId}", IpPermissions=perm, TagSpecifications=[{"ResourceType": "security-group-rule", "Tags": [{"Key": "k", "Value": "v"}]}])`,
        `rules = ec2.describe_security_group_rules(Filters=[{"Name": "tag:k", "Values": ["v"]}])["SecurityGroupRules"]`,
        `ec2.revoke_security_group_egress(GroupId="${groupId}", IpPermissions=perm)`,
        "try:",
        `    ec2.revoke_security_group_egress(GroupId="${groupId}", IpPermissions=perm)`,
        `    code = "none"`,
        "except botocore.exceptions.ClientError as e:",
        `    code = e.response["Error"]["Code"]`,
        `out = {"id": added["SecurityGroupRules"][0]["SecurityGroupRuleId"], "rules": [r["SecurityGroupRuleId"] for r in rules], "egress": rules[0]["IsEgress"], "code": code}`,
      ].join("\n"),
    );
    expect(out.rules).toEqual([out.id]);
    expect(out.egress).toBe(true);
    expect(out.code).toBe("InvalidPermission.NotFound");
  });
});
