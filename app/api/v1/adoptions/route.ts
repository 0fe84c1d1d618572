import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { environmentResource } from "@/server/api/resources.ts";
import { adoptStack } from "@/server/adopt/adopt.ts";
import { discoverStack } from "@/server/adopt/discover.ts";

export const dynamic = "force-dynamic";

/**
 * What can be adopted: `?account=&region=` lists the load balancers (`&tag=key=value` filters),
 * `&loadBalancerArn=` adds its listeners, `&listenerArn=` the target groups it forwards to
 * with their Auto Scaling groups. Admin only (it reads the account's stacks).
 */
export const GET = apiRoute(async (req, { actor }) => {
  const p = new URL(req.url).searchParams;
  const input = Object.fromEntries(
    ["account", "region", "loadBalancerArn", "listenerArn", "tag"].flatMap((k) => (p.get(k) ? [[k, p.get(k)]] : [])),
  );
  return Response.json(await discoverStack({ actor, input }));
});

/**
 * Adopts an existing stack as an environment, creating nothing in AWS:
 * `{"name","account","region","loadBalancerArn","listenerArn","targetGroupArns":[a,b],"version"?}`. 201.
 */
export const POST = apiRoute(async (req, { actor }) => {
  const { environment, spec, adopted } = await adoptStack({ actor, input: await jsonBody(req) });
  return Response.json(
    { ...environmentResource(environment, spec), adopted },
    { status: 201, headers: { location: `/api/v1/environments/${environment.name}` } },
  );
});
