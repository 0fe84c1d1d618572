/** One codec per service (CloudWatch has two: SDK v3's JSON and awscli's query form). */
import type { ServiceName } from "../core/types.ts";
import { createAwsJsonCodec } from "./aws-json.ts";
import { createAwsQueryCodec } from "./aws-query.ts";
import type { Codec } from "./codec.ts";
import { createEc2QueryCodec } from "./ec2-query.ts";
import { loadModel } from "./model.ts";
import { createRestXmlCodec } from "./rest-xml.ts";

export interface ServiceCodecs {
  /** The codec for requests in the service's primary protocol. */
  primary: Codec;
  /** CloudWatch only: the awsQuery form (awscli 2.9, boto3). */
  query?: Codec;
}

export function createCodecs(): Record<ServiceName, ServiceCodecs> {
  return {
    ec2: { primary: createEc2QueryCodec(loadModel("ec2")) },
    autoscaling: { primary: createAwsQueryCodec(loadModel("autoscaling")) },
    elasticloadbalancing: { primary: createAwsQueryCodec(loadModel("elasticloadbalancing")) },
    rds: { primary: createAwsQueryCodec(loadModel("rds")) },
    elasticache: { primary: createAwsQueryCodec(loadModel("elasticache")) },
    monitoring: { primary: createAwsJsonCodec(loadModel("monitoring")), query: createAwsQueryCodec(loadModel("monitoring")) },
    cloudfront: { primary: createRestXmlCodec(loadModel("cloudfront")) },
    secretsmanager: { primary: createAwsJsonCodec(loadModel("secretsmanager")) },
    ssm: { primary: createAwsJsonCodec(loadModel("ssm")) },
    sts: { primary: createAwsQueryCodec(loadModel("sts")) },
    iam: { primary: createAwsQueryCodec(loadModel("iam")) },
  };
}

export type { Codec, WireRequest, WireResponse } from "./codec.ts";
