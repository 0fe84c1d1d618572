/**
 * Policy documents in and out of IAM. Clients send the JSON as a form field (some tools send it
 * URL-encoded once more); IAM answers documents URL-encoded (RFC 3986), which botocore decodes
 * and SDK v3 leaves to the caller. Validation is the policy library's (the same grammar the
 * evaluator reads), so a document IAM accepts is one enforcement can evaluate.
 */
import { runSimulation, type SimulationErrors } from "@cloud-copilot/iam-simulate";
import { malformedPolicy } from "./errors.ts";
import type { PolicyDocument } from "./state.ts";

const MAX_DOCUMENT_CHARS = 131_072;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A document URL-encoded by the caller decodes to JSON.
    if (!text.trimStart().startsWith("%7B") && !text.trimStart().startsWith("%7b")) return undefined;
    try {
      return JSON.parse(decodeURIComponent(text));
    } catch {
      return undefined;
    }
  }
}

/** The document as an object, or MalformedPolicyDocument "Syntax errors in policy." as AWS says. */
export function parseDocument(text: string): PolicyDocument {
  if (text.length > MAX_DOCUMENT_CHARS) throw malformedPolicy("Cannot exceed quota for PolicySize: 131072");
  const value = parseJson(text);
  if (!value || typeof value !== "object" || Array.isArray(value)) throw malformedPolicy("Syntax errors in policy.");
  return value as PolicyDocument;
}

function firstError(errors: SimulationErrors): string {
  const lists = [...Object.values(errors.identityPolicyErrors ?? {}), errors.resourcePolicyErrors ?? []];
  const first = lists.flat()[0];
  return first ? `${first.message}${first.path ? ` (${first.path})` : ""}` : "Syntax errors in policy.";
}

/**
 * Validate an identity (permissions) policy or a role trust policy. The library validates as part
 * of a simulation only, so a throwaway simulation carries the document.
 */
export async function validateDocument(doc: PolicyDocument, kind: "identity" | "trust"): Promise<void> {
  if (doc.Version !== undefined && doc.Version !== "2012-10-17" && doc.Version !== "2008-10-17") {
    throw malformedPolicy("The policy failed legacy parsing");
  }
  if (kind === "trust" && !JSON.stringify(doc.Statement ?? "").includes('"Principal"')) {
    throw malformedPolicy("Missing required field Principal");
  }
  const result = await runSimulation(
    {
      request: {
        principal: "arn:aws:iam::000000000000:root",
        action: "sts:GetCallerIdentity",
        resource: { resource: "*", accountId: "000000000000" },
        contextVariables: {},
      },
      identityPolicies: kind === "identity" ? [{ name: "document", policy: doc }] : [],
      resourcePolicy: kind === "trust" ? doc : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error" && result.errors.message === "policy.errors") throw malformedPolicy(firstError(result.errors));
}

/** Parse and validate in one step, for handlers. */
export async function readDocument(text: string, kind: "identity" | "trust"): Promise<PolicyDocument> {
  const doc = parseDocument(text);
  await validateDocument(doc, kind);
  return doc;
}

/** RFC 3986 encoding as IAM returns documents (encodeURIComponent leaves !'()* alone; IAM does too). */
export function encodeDocument(doc: PolicyDocument): string {
  return encodeURIComponent(JSON.stringify(doc));
}
