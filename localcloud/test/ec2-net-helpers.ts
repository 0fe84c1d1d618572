/**
 * Networks for the EC2 networking tests, built through the SDK: a VPC with subnets, optionally
 * an internet gateway routed from a "public" route table, plus the al2023 image and a helper
 * to run one instance and wait until it runs.
 */
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  RunInstancesCommand,
  type EC2Client,
  type RunInstancesCommandInput,
} from "@aws-sdk/client-ec2";
import { eventually } from "./helpers.ts";

export interface TestNetwork {
  vpcId: string;
  /** Subnet ids in us-east-1a, us-east-1b, ... (second octet from the VPC CIDR). */
  subnets: string[];
  igwId?: string;
  /** The route table with 0.0.0.0/0 -> the IGW, associated with `publicSubnets`. */
  publicRouteTableId?: string;
}

export async function buildNetwork(
  ec2: EC2Client,
  opts: { cidr?: string; subnetCount?: number; igw?: boolean; publicSubnets?: number[] } = {},
): Promise<TestNetwork> {
  const cidr = opts.cidr ?? "10.0.0.0/16";
  const prefix = cidr.split(".").slice(0, 2).join(".");
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const vpcId = Vpc!.VpcId!;
  const subnets: string[] = [];
  for (let i = 0; i < (opts.subnetCount ?? 2); i++) {
    const zone = `us-east-1${"abcdef"[i]}`;
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${prefix}.${i}.0/24`, AvailabilityZone: zone }));
    subnets.push(Subnet!.SubnetId!);
  }
  const net: TestNetwork = { vpcId, subnets };
  if (opts.igw) {
    const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
    net.igwId = InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: net.igwId, VpcId: vpcId }));
    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    net.publicRouteTableId = RouteTable!.RouteTableId!;
    await ec2.send(
      new CreateRouteCommand({ RouteTableId: net.publicRouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: net.igwId }),
    );
    for (const index of opts.publicSubnets ?? [0]) {
      await ec2.send(new AssociateRouteTableCommand({ RouteTableId: net.publicRouteTableId, SubnetId: subnets[index] }));
    }
  }
  return net;
}

export async function al2023(ec2: EC2Client): Promise<string> {
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-*"] }] }));
  return images.Images![0].ImageId!;
}

/** Runs one t3.micro and waits (polling) until it is running; returns its id. */
export async function runOne(ec2: EC2Client, input: Partial<RunInstancesCommandInput> & { SubnetId?: string }): Promise<string> {
  const imageId = input.ImageId ?? (await al2023(ec2));
  const { Instances } = await ec2.send(
    new RunInstancesCommand({ InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, ...input, ImageId: imageId }),
  );
  const id = Instances![0].InstanceId!;
  await eventually(async () => {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return out.Reservations![0].Instances![0].State!.Name === "running";
  });
  return id;
}
