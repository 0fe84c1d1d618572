/**
 * EC2 conformance through the real SDK v3 client: launch templates (versions, $Latest/$Default,
 * ClientToken) and tags across resource types.
 */
import { describe, it, expect } from "vitest";
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DeleteLaunchTemplateCommand,
  DeleteTagsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  ModifyLaunchTemplateCommand,
} from "@aws-sdk/client-ec2";
import { ec2, imageId, network, useEc2Cloud } from "./ec2-fixture.ts";
import { expectError } from "./helpers.ts";

// One cloud for the file; tests use distinct CIDRs instead of resetting it.
useEc2Cloud({ quotas: { "vpcs-per-region": 20 } });

describe("launch templates", () => {
  it("creates versions, resolves $Latest/$Default, modifies the default and is idempotent per ClientToken", async () => {
    const userData = Buffer.from("#!/bin/bash\n# localcloud: boot_seconds=20 latency_ms=30\n").toString("base64");
    const created = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "lt-test",
        ClientToken: "token-1",
        VersionDescription: "first",
        LaunchTemplateData: { ImageId: imageId, InstanceType: "t3.micro", UserData: userData },
        TagSpecifications: [{ ResourceType: "launch-template", Tags: [{ Key: "team", Value: "web" }] }],
      }),
    );
    const id = created.LaunchTemplate!.LaunchTemplateId!;
    expect(id).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(created.LaunchTemplate).toMatchObject({
      LaunchTemplateName: "lt-test",
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
      Tags: [{ Key: "team", Value: "web" }],
    });
    const again = await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: "lt-test", ClientToken: "token-1", LaunchTemplateData: { ImageId: imageId } }),
    );
    expect(again.LaunchTemplate!.LaunchTemplateId).toBe(id);
    const duplicate = await expectError(
      ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "lt-test", LaunchTemplateData: { ImageId: imageId } })),
    );
    expect(duplicate.name).toBe("InvalidLaunchTemplateName.AlreadyExistsException");

    const v2 = await ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: id,
        SourceVersion: "1",
        LaunchTemplateData: { InstanceType: "t3.small" },
      }),
    );
    expect(v2.LaunchTemplateVersion).toMatchObject({ VersionNumber: 2, DefaultVersion: false });
    expect(v2.LaunchTemplateVersion!.LaunchTemplateData).toMatchObject({ ImageId: imageId, InstanceType: "t3.small", UserData: userData });
    const resolved = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "lt-test", Versions: ["$Latest", "$Default"] }),
    );
    expect(resolved.LaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([2, 1]);
    await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: "2" }));
    const listed = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }));
    expect(listed.LaunchTemplates![0]).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 2 });
    const byType = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Filters: [{ Name: "instance-type", Values: ["t3.small"] }] }),
    );
    expect(byType.LaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([2]);

    expect((await expectError(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ["9"] })))).name).toBe(
      "InvalidLaunchTemplateId.VersionNotFound",
    );
    expect((await expectError(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-0123456789abcdef0"] })))).name).toBe(
      "InvalidLaunchTemplateId.NotFound",
    );
    expect((await expectError(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["nope"] })))).name).toBe(
      "InvalidLaunchTemplateName.NotFoundException",
    );
    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: id }));
    expect(
      (await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "launch-template-name", Values: ["lt-test"] }] })))
        .LaunchTemplates,
    ).toEqual([]);
  });
});

describe("tags", () => {
  it("creates, describes with filters and deletes tags across resource types", async () => {
    const { vpcId, subnets } = await network("10.10.0.0/16", ["us-east-1a"]);
    await ec2.send(
      new CreateTagsCommand({
        Resources: [vpcId, subnets[0].SubnetId!],
        Tags: [
          { Key: "stack", Value: "blue" },
          { Key: "owner", Value: "ops" },
        ],
      }),
    );
    const described = await ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "resource-id", Values: [vpcId, subnets[0].SubnetId!] },
          { Name: "key", Values: ["stack"] },
        ],
      }),
    );
    expect(described.Tags!.map((t) => [t.ResourceType, t.Value]).sort()).toEqual([
      ["subnet", "blue"],
      ["vpc", "blue"],
    ]);
    const byType = await ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "resource-type", Values: ["vpc"] },
          { Name: "value", Values: ["ops"] },
        ],
      }),
    );
    expect(byType.Tags!.map((t) => t.ResourceId)).toContain(vpcId);
    await ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: "stack", Value: "green" }] }));
    expect((await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0].Tags).toHaveLength(2);
    await ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: "stack" }] }));
    expect((await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0].Tags).toEqual([{ Key: "owner", Value: "ops" }]);
    expect((await expectError(ec2.send(new CreateTagsCommand({ Resources: ["bogus"], Tags: [{ Key: "a", Value: "b" }] })))).name).toBe(
      "InvalidID",
    );
    expect(
      (await expectError(ec2.send(new CreateTagsCommand({ Resources: ["vpc-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] })))).name,
    ).toBe("InvalidVpcID.NotFound");
    expect(
      (await expectError(ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "aws:reserved", Value: "b" }] })))).name,
    ).toBe("InvalidParameterValue");
  });
});
