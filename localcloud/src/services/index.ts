import type { ServiceModule, ServiceName } from "../core/types.ts";
import ec2 from "./ec2/index.ts";
import autoscaling from "./autoscaling/index.ts";
import elbv2 from "./elbv2/index.ts";
import rds from "./rds/index.ts";
import elasticache from "./elasticache/index.ts";
import cloudwatch from "./cloudwatch/index.ts";
import cloudfront from "./cloudfront/index.ts";
import secretsmanager from "./secretsmanager/index.ts";
import ssm from "./ssm/index.ts";
import sts from "./sts/index.ts";
import iam from "./iam/index.ts";

/** Every service the local cloud speaks, by signing name. */
export const services: Record<ServiceName, ServiceModule> = {
  ec2,
  autoscaling,
  elasticloadbalancing: elbv2,
  rds,
  elasticache,
  monitoring: cloudwatch,
  cloudfront,
  secretsmanager,
  ssm,
  sts,
  iam,
};
