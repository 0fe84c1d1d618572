/**
 * SSM Parameter Store through SDK v3, Debian's awscli and boto3: types, versions and selectors,
 * SecureString decryption, paths and paging, DescribeParameters filters, tags, AWS's error codes,
 * and the public Amazon Linux 2023 AMI parameters resolving to images EC2 knows.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  ListTagsForResourceCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  ParameterPatternMismatchException,
  ParameterVersionNotFound,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  InvalidResourceId,
  InvalidFilterKey,
} from "@aws-sdk/client-ssm";
import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { clientConfig, expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { awsCli, awsCliOk, boto3, hasAwsCli, hasBoto3 } from "./cli-runners.ts";

let lc: TestCloud;
let ssm: SSMClient;
const AMI_PATH = "/aws/service/ami-amazon-linux-latest";

beforeAll(async () => {
  lc = await startTestCloud();
  ssm = new SSMClient(clientConfig(lc.url));
});

afterAll(async () => {
  ssm?.destroy();
  await lc?.close();
});

describe("SSM Parameter Store (SDK v3)", () => {
  it("puts versions, refuses a silent overwrite, reads versions by selector", async () => {
    expect(await ssm.send(new PutParameterCommand({ Name: "/app/url", Value: "http://a", Type: "String" }))).toMatchObject({
      Version: 1,
      Tier: "Standard",
    });
    const dup = await expectError(ssm.send(new PutParameterCommand({ Name: "/app/url", Value: "http://b", Type: "String" })));
    expect(dup).toBeInstanceOf(ParameterAlreadyExists);
    expect((await ssm.send(new PutParameterCommand({ Name: "/app/url", Value: "http://b", Overwrite: true }))).Version).toBe(2);
    const got = await ssm.send(new GetParameterCommand({ Name: "/app/url" }));
    expect(got.Parameter).toMatchObject({
      Name: "/app/url",
      Type: "String",
      Value: "http://b",
      Version: 2,
      DataType: "text",
      ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/app/url",
    });
    expect(got.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const v1 = await ssm.send(new GetParameterCommand({ Name: "/app/url:1" }));
    expect(v1.Parameter).toMatchObject({ Value: "http://a", Version: 1, Selector: ":1" });
    expect(await expectError(ssm.send(new GetParameterCommand({ Name: "/app/url:9" })))).toBeInstanceOf(ParameterVersionNotFound);
    const missing = await expectError(ssm.send(new GetParameterCommand({ Name: "/app/none" })));
    expect(missing).toBeInstanceOf(ParameterNotFound);
    expect(missing.$metadata.httpStatusCode).toBe(400);
  });

  it("returns SecureString ciphertext unless WithDecryption, and keeps StringList as given", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/app/password", Value: "s3cret", Type: "SecureString" }));
    const hidden = await ssm.send(new GetParameterCommand({ Name: "/app/password" }));
    expect(hidden.Parameter?.Type).toBe("SecureString");
    expect(hidden.Parameter?.Value).not.toContain("s3cret");
    expect(hidden.Parameter?.Value).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
    expect((await ssm.send(new GetParameterCommand({ Name: "/app/password", WithDecryption: true }))).Parameter?.Value).toBe("s3cret");
    await ssm.send(new PutParameterCommand({ Name: "/app/hosts", Value: "a,b,c", Type: "StringList" }));
    expect((await ssm.send(new GetParameterCommand({ Name: "/app/hosts" }))).Parameter).toMatchObject({
      Type: "StringList",
      Value: "a,b,c",
    });
    const meta = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Values: ["/app/password"] }] }));
    expect(meta.Parameters?.[0]).toMatchObject({
      Name: "/app/password",
      Type: "SecureString",
      KeyId: "alias/aws/ssm",
      Version: 1,
      Tier: "Standard",
    });
  });

  it("validates names, types, patterns and tag/overwrite combinations with AWS's codes", async () => {
    const code = async (p: Promise<unknown>) => (await expectError(p)).name;
    expect(await code(ssm.send(new PutParameterCommand({ Name: "/aws/mine", Value: "x", Type: "String" })))).toBe("ValidationException");
    expect(await code(ssm.send(new PutParameterCommand({ Name: "ssm-thing", Value: "x", Type: "String" })))).toBe("ValidationException");
    expect(await code(ssm.send(new PutParameterCommand({ Name: "a/b", Value: "x", Type: "String" })))).toBe("ValidationException");
    expect(await code(ssm.send(new PutParameterCommand({ Name: "/notype", Value: "x" })))).toBe("ValidationException");
    expect(await code(ssm.send(new PutParameterCommand({ Name: "/kid", Value: "x", Type: "String", KeyId: "alias/k" })))).toBe(
      "ValidationException",
    );
    const pattern = await expectError(
      ssm.send(new PutParameterCommand({ Name: "/num", Value: "abc", Type: "String", AllowedPattern: "^\\d+$" })),
    );
    expect(pattern).toBeInstanceOf(ParameterPatternMismatchException);
    await ssm.send(new PutParameterCommand({ Name: "/tagged", Value: "x", Type: "String", Tags: [{ Key: "a", Value: "1" }] }));
    expect(
      await code(ssm.send(new PutParameterCommand({ Name: "/tagged", Value: "y", Overwrite: true, Tags: [{ Key: "a", Value: "2" }] }))),
    ).toBe("ValidationException");
    expect(await code(ssm.send(new PutParameterCommand({ Name: "/big", Value: "x".repeat(4097), Type: "String" })))).toBe(
      "ValidationException",
    );
    expect(
      (await ssm.send(new PutParameterCommand({ Name: "/big", Value: "x".repeat(4097), Type: "String", Tier: "Advanced" }))).Tier,
    ).toBe("Advanced");
  });

  it("gets several at once, by path (one level or recursive) with paging, and deletes", async () => {
    for (const n of ["/tree/a", "/tree/b", "/tree/sub/c", "/tree/sub/deep/d"])
      await ssm.send(new PutParameterCommand({ Name: n, Value: n, Type: "String" }));
    const several = await ssm.send(new GetParametersCommand({ Names: ["/tree/a", "/tree/nope", "/tree/b"] }));
    expect(several.Parameters?.map((p) => p.Name).sort()).toEqual(["/tree/a", "/tree/b"]);
    expect(several.InvalidParameters).toEqual(["/tree/nope"]);
    const level = await ssm.send(new GetParametersByPathCommand({ Path: "/tree" }));
    expect(level.Parameters?.map((p) => p.Name)).toEqual(["/tree/a", "/tree/b"]);
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await ssm.send(new GetParametersByPathCommand({ Path: "/tree/", Recursive: true, MaxResults: 3, NextToken: token }));
      expect(page.Parameters!.length).toBeLessThanOrEqual(3);
      all.push(...page.Parameters!.map((p) => p.Name!));
      token = page.NextToken;
    } while (token);
    expect(all).toEqual(["/tree/a", "/tree/b", "/tree/sub/c", "/tree/sub/deep/d"]);
    expect((await expectError(ssm.send(new GetParametersByPathCommand({ Path: "tree" })))).name).toBe("ValidationException");
    expect(
      await expectError(ssm.send(new GetParametersByPathCommand({ Path: "/tree", ParameterFilters: [{ Key: "Name", Values: ["x"] }] }))),
    ).toBeInstanceOf(InvalidFilterKey);
    await ssm.send(new DeleteParameterCommand({ Name: "/tree/a" }));
    expect(await expectError(ssm.send(new DeleteParameterCommand({ Name: "/tree/a" })))).toBeInstanceOf(ParameterNotFound);
    const batch = await ssm.send(new DeleteParametersCommand({ Names: ["/tree/b", "/tree/zzz"] }));
    expect(batch).toMatchObject({ DeletedParameters: ["/tree/b"], InvalidParameters: ["/tree/zzz"] });
  });

  it("describes with ParameterFilters (BeginsWith, Path, Type, tag) and tags resources", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/desc/one", Value: "1", Type: "String", Tags: [{ Key: "team", Value: "core" }] }));
    await ssm.send(new PutParameterCommand({ Name: "/desc/two", Value: "2", Type: "SecureString" }));
    await ssm.send(new PutParameterCommand({ Name: "/desc/x/three", Value: "3", Type: "String" }));
    const names = async (filters: Array<{ Key: string; Option?: string; Values?: string[] }>) =>
      (await ssm.send(new DescribeParametersCommand({ ParameterFilters: filters }))).Parameters!.map((p) => p.Name);
    expect(await names([{ Key: "Name", Option: "BeginsWith", Values: ["/desc/t"] }])).toEqual(["/desc/two"]);
    expect(await names([{ Key: "Path", Values: ["/desc"] }])).toEqual(["/desc/one", "/desc/two"]);
    expect(
      await names([
        { Key: "Path", Option: "Recursive", Values: ["/desc"] },
        { Key: "Type", Values: ["String"] },
      ]),
    ).toEqual(["/desc/one", "/desc/x/three"]);
    expect(await names([{ Key: "tag:team", Values: ["core"] }])).toEqual(["/desc/one"]);
    const both = await expectError(
      ssm.send(
        new DescribeParametersCommand({
          Filters: [{ Key: "Type", Values: ["String"] }],
          ParameterFilters: [{ Key: "Type", Values: ["String"] }],
        }),
      ),
    );
    expect(both.name).toBe("ValidationException");
    await ssm.send(
      new AddTagsToResourceCommand({
        ResourceType: "Parameter",
        ResourceId: "/desc/two",
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2" },
        ],
      }),
    );
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: "Parameter", ResourceId: "/desc/two", TagKeys: ["a"] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: "/desc/two" }))).TagList).toEqual([
      { Key: "b", Value: "2" },
    ]);
    expect(
      await expectError(ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: "/desc/none" }))),
    ).toBeInstanceOf(InvalidResourceId);
  });

  it("publishes the Amazon Linux 2023 AMI parameters, resolving to images DescribeImages knows", async () => {
    const byPath = await ssm.send(new GetParametersByPathCommand({ Path: AMI_PATH }));
    const names = byPath.Parameters!.map((p) => p.Name!);
    expect(names).toContain(`${AMI_PATH}/al2023-ami-kernel-default-x86_64`);
    expect(names).toContain(`${AMI_PATH}/al2023-ami-kernel-6.1-x86_64`);
    for (const p of byPath.Parameters!) {
      expect(p).toMatchObject({ Type: "String", DataType: "text" });
      expect(p.ARN).toBe(`arn:aws:ssm:us-east-1::parameter${p.Name}`);
      const { Images } = await lc.ec2.send(new DescribeImagesCommand({ ImageIds: [p.Value!] }));
      expect(Images).toHaveLength(1);
      expect(p.Name!.endsWith(Images![0].Architecture!)).toBe(true);
      expect(Images![0].Name!.includes("minimal")).toBe(p.Name!.includes("minimal"));
    }
    const direct = await ssm.send(new GetParameterCommand({ Name: `${AMI_PATH}/al2023-ami-kernel-default-x86_64` }));
    expect(direct.Parameter?.Value).toMatch(/^ami-[0-9a-f]{17}$/);
    // Other regions have their own image ids.
    const other = new SSMClient(clientConfig(lc.url, "eu-west-1"));
    const there = await other.send(new GetParameterCommand({ Name: `${AMI_PATH}/al2023-ami-kernel-default-x86_64` }));
    expect(there.Parameter?.Value).not.toBe(direct.Parameter?.Value);
    other.destroy();
  });
});

describe("SSM through awscli 2.9 and boto3", () => {
  it.skipIf(!hasAwsCli())("awscli: put, get with decryption, by path, public AMI parameter, typed errors", async () => {
    await awsCliOk(lc.url, ["ssm", "put-parameter", "--name", "/cli/key", "--value", "hunter2", "--type", "SecureString"]);
    const got = await awsCliOk<{ Parameter: { Value: string; Version: number } }>(lc.url, [
      "ssm",
      "get-parameter",
      "--name",
      "/cli/key",
      "--with-decryption",
    ]);
    expect(got.Parameter).toMatchObject({ Value: "hunter2", Version: 1 });
    const dup = await awsCli(lc.url, ["ssm", "put-parameter", "--name", "/cli/key", "--value", "x", "--type", "SecureString"]);
    expect(dup.stderr).toContain("ParameterAlreadyExists");
    const path = await awsCliOk<{ Parameters: Array<{ Name: string }> }>(lc.url, ["ssm", "get-parameters-by-path", "--path", "/cli"]);
    expect(path.Parameters.map((p) => p.Name)).toEqual(["/cli/key"]);
    const ami = await awsCliOk<{ Parameter: { Value: string } }>(lc.url, [
      "ssm",
      "get-parameter",
      "--name",
      `${AMI_PATH}/al2023-ami-kernel-default-x86_64`,
    ]);
    expect(ami.Parameter.Value).toMatch(/^ami-/);
    const missing = await awsCli(lc.url, ["ssm", "get-parameter", "--name", "/cli/none"]);
    expect(missing.stderr).toContain("ParameterNotFound");
  });

  it.skipIf(!hasBoto3())("boto3: put/overwrite, get_parameters with invalid names, describe, delete", async () => {
    const out = await boto3<Record<string, Record<string, unknown>>>(
      lc.url,
      `ssm = client("ssm")
call(ssm.put_parameter, Name="/py/a", Value="1", Type="String")
ow = call(ssm.put_parameter, Name="/py/a", Value="2", Type="String", Overwrite=True)
dup = call(ssm.put_parameter, Name="/py/a", Value="3", Type="String")
many = call(ssm.get_parameters, Names=["/py/a", "/py/none"])
desc = call(ssm.describe_parameters, ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": ["/py/"]}])
ami = call(ssm.get_parameter, Name="${AMI_PATH}/al2023-ami-kernel-default-x86_64")
call(ssm.delete_parameter, Name="/py/a")
gone = call(ssm.delete_parameter, Name="/py/a")
out({"ow": ow, "dup": dup, "many": {"names": [p["Name"] for p in many["Parameters"]], "invalid": many["InvalidParameters"]}, "desc": {"names": [p["Name"] for p in desc["Parameters"]]}, "ami": ami["Parameter"], "gone": gone})`,
    );
    expect(out.ow).toMatchObject({ Version: 2, Tier: "Standard" });
    expect(out.dup).toMatchObject({ error: "ParameterAlreadyExists", status: 400 });
    expect(out.many).toEqual({ names: ["/py/a"], invalid: ["/py/none"] });
    expect(out.desc.names).toEqual(["/py/a"]);
    expect(String(out.ami.Value)).toMatch(/^ami-/);
    expect(out.gone).toMatchObject({ error: "ParameterNotFound" });
  });
});
