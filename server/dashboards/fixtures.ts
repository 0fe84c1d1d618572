import type { DashboardTarget } from "./query.ts";

/** A full stack's dashboard target (both fleets, a database, CloudFront), for the query tests. */
export const sampleTarget: DashboardTarget = {
  loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/shop-alb/0123456789abcdef",
  targetGroupArns: {
    blue: "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-blue/1111111111111111",
    green: "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-green/2222222222222222",
  },
  asgNames: { blue: "shop-blue", green: "shop-green" },
  dbIdentifier: "shop-db",
  distributionId: "E2ABCDEF123456",
};
