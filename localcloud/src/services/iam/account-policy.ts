/**
 * Admin API for enforcement (`/_localcloud/accounts/<accountId>/policy`):
 *   PUT    body: a policy document, or {"policy": <document>, "userName"?: "deployer"}
 *          -> 200 {"accountId","principal","policy"}; 400 {"error"} for a document IAM would
 *          refuse; 404 for another account than the cloud's
 *   GET    -> 200 the same, 404 when the account has no policy (nothing is enforced)
 *   DELETE -> 200 {"status":"ok"}: back to unrestricted
 * With a policy, every call signed with the account's static keys is evaluated against it, as
 * the IAM user `userName` (or the account root when absent, which real AWS never restricts).
 */
import type { AdminResponse } from "../../core/admin-api.ts";
import type { CloudApi } from "../../core/types.ts";
import { validateDocument } from "./policy-document.ts";
import { iamState, uniqueId, type PolicyDocument } from "./state.ts";

const ROUTE = /^accounts\/([^/]+)\/policy$/;

function view(cloud: CloudApi, accountId: string): AdminResponse {
  const record = iamState(cloud).accountPolicies[accountId];
  if (!record) return { status: 404, body: { error: `account ${accountId} has no policy: every call is allowed` } };
  const principal = record.userName ? `arn:aws:iam::${accountId}:user/${record.userName}` : `arn:aws:iam::${accountId}:root`;
  return { status: 200, body: { accountId, principal, policy: record.document } };
}

function parseBody(body: Buffer): { document: PolicyDocument; userName?: string } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return "body is not valid JSON";
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return 'body must be a policy document or {"policy": <document>}';
  const obj = parsed as Record<string, unknown>;
  const wrapped = "policy" in obj && !("Statement" in obj);
  const document = wrapped ? obj.policy : obj;
  if (!document || typeof document !== "object" || Array.isArray(document)) return '"policy" must be a policy document object';
  const userName = wrapped ? obj.userName : undefined;
  if (userName !== undefined && (typeof userName !== "string" || !/^[\w+=,.@-]{1,64}$/.test(userName)))
    return '"userName" must be an IAM user name ([\\w+=,.@-]{1,64})';
  return { document: document as PolicyDocument, userName: userName as string | undefined };
}

async function put(cloud: CloudApi, accountId: string, body: Buffer): Promise<AdminResponse> {
  const parsed = parseBody(body);
  if (typeof parsed === "string") return { status: 400, body: { error: parsed } };
  try {
    await validateDocument(parsed.document, "identity");
  } catch (err) {
    return { status: 400, body: { error: `MalformedPolicyDocument: ${(err as Error).message}` } };
  }
  const accounts = iamState(cloud).accountPolicies;
  const previous = accounts[accountId];
  // The same user keeps its id across policy changes, as an IAM user would.
  const userId = previous && previous.userName === parsed.userName ? previous.userId : uniqueId("AIDA");
  accounts[accountId] = { document: parsed.document, userName: parsed.userName, userId };
  cloud.markDirty();
  return view(cloud, accountId);
}

/** The admin route handler (registered by the IAM module); undefined for routes that are not its own. */
export function accountPolicyRoutes(
  cloud: CloudApi,
  method: string,
  route: string,
  body: Buffer,
): AdminResponse | Promise<AdminResponse> | undefined {
  const match = ROUTE.exec(route);
  if (!match) return undefined;
  const accountId = decodeURIComponent(match[1]);
  if (accountId !== cloud.accountId)
    return { status: 404, body: { error: `unknown account ${accountId}: this local cloud serves account ${cloud.accountId}` } };
  if (method === "GET") return view(cloud, accountId);
  if (method === "PUT") return put(cloud, accountId, body);
  if (method === "DELETE") {
    delete iamState(cloud).accountPolicies[accountId];
    cloud.markDirty();
    return { status: 200, body: { status: "ok" } };
  }
  return { status: 405, body: { error: `${method} not allowed on /_localcloud/${route} (GET, PUT, DELETE)` } };
}
