/** OpenAPI paths of adopting stacks and OS patching (spread into server/api/openapi.ts). */
import { errorResponse, jsonBody } from "../api/openapi-parts.ts";
const common = {
  "401": errorResponse("Missing or invalid API token"),
  "403": errorResponse("The token's role is too low"),
  "404": errorResponse("No such environment"),
};

export function adoptionAndPatchPaths(nameParam: object) {
  const q = (name: string, description: string, required = false) => ({
    name,
    in: "query",
    required,
    description,
    schema: { type: "string" },
  });
  return {
    "/api/v1/adoptions": {
      get: {
        operationId: "discoverStacks",
        summary:
          "What can be adopted: load balancers, a load balancer's listeners, a listener's target groups with their Auto Scaling groups (admin)",
        parameters: [
          q("account", "AWS account name", true),
          q("region", "Region", true),
          q("tag", "Only load balancers with this tag: key=value"),
          q("loadBalancerArn", "Also list this load balancer's listeners"),
          q("listenerArn", "Also list the target groups this listener forwards to"),
        ],
        responses: { "200": { description: "loadBalancers, listeners, targetGroups" }, "400": errorResponse("Invalid input"), ...common },
      },
      post: {
        operationId: "adoptStack",
        summary:
          "Record an existing ALB listener, its two target groups and their Auto Scaling groups as an environment; nothing is created (admin)",
        requestBody: jsonBody({
          schema: {
            type: "object",
            required: ["name", "account", "region", "loadBalancerArn", "listenerArn", "targetGroupArns"],
            properties: {
              name: { type: "string" },
              account: { type: "string" },
              region: { type: "string" },
              loadBalancerArn: { type: "string" },
              listenerArn: { type: "string" },
              targetGroupArns: { type: "array", items: { type: "string" }, minItems: 2, maxItems: 2 },
              version: { type: "string", description: "The version running now, when its launch template does not say" },
            },
          },
          example: {
            name: "shop",
            account: "local",
            region: "us-east-1",
            loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/shop/50dc6c495c0c9188",
            listenerArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2",
            targetGroupArns: [
              "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-blue/73e2d6bc24d8a067",
              "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-green/6d0ecf831eec9f09",
            ],
          },
        }),
        responses: {
          "201": { description: "The adopted environment" },
          "400": errorResponse("The stack cannot be adopted as it is (field errors say why); nothing was recorded"),
          ...common,
          "409": errorResponse("The name is taken"),
        },
      },
    },
    "/api/v1/environments/{name}/os-images": {
      parameters: [nameParam],
      get: {
        operationId: "osImages",
        summary: "The image each fleet runs, its age, and the newest Amazon Linux 2023 image",
        responses: { "200": { description: "fleets, latest, newerAvailable" }, ...common },
      },
    },
    "/api/v1/environments/{name}/patch-os": {
      parameters: [nameParam],
      post: {
        operationId: "patchOs",
        summary: "Roll the newest Amazon Linux 2023 image out as a release of the live app version (deployer)",
        responses: {
          "202": { description: "The rollout operation, with the images from and to" },
          ...common,
          "409": errorResponse("Another operation is running"),
          "412": errorResponse("Already on the newest image, or not Amazon Linux 2023"),
        },
      },
    },
  };
}
