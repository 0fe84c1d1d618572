/**
 * Listener rule conditions: AWS's validation, and the normalised form DescribeRules returns.
 *
 * Both input forms are accepted, as AWS accepts them: the original `Values` (host-header and
 * path-pattern only, a single value) and the `<Field>Config` structures. Limits follow the ALB
 * documentation ("Condition types for listener rules", "Quotas"): at most one each of
 * host-header, http-request-method, path-pattern and source-ip; up to 3 match evaluations per
 * condition, 5 per rule, and 5 wildcards per rule. Every violation is a ValidationError, as
 * AWS (and botocore's model: no dedicated error shape) has it.
 */
import { isIPv4, isIPv6 } from "node:net";
import type { ConditionRecord } from "./state.ts";
import { validationError } from "./errors.ts";

export interface ConditionInput {
  Field?: string;
  Values?: string[];
  HostHeaderConfig?: { Values?: string[] };
  PathPatternConfig?: { Values?: string[] };
  HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[] };
  QueryStringConfig?: { Values?: Array<{ Key?: string; Value?: string }> };
  HttpRequestMethodConfig?: { Values?: string[] };
  SourceIpConfig?: { Values?: string[] };
}

type ConfigKey = Exclude<keyof ConditionInput, "Field" | "Values">;

const CONFIG_OF: Record<string, ConfigKey> = {
  "host-header": "HostHeaderConfig",
  "path-pattern": "PathPatternConfig",
  "http-header": "HttpHeaderConfig",
  "query-string": "QueryStringConfig",
  "http-request-method": "HttpRequestMethodConfig",
  "source-ip": "SourceIpConfig",
};
const CONFIG_KEYS = Object.values(CONFIG_OF);
/** Fields a rule may carry once; http-header and query-string may repeat (one header or key each). */
const SINGLE_USE = new Set(["host-header", "path-pattern", "http-request-method", "source-ip"]);

export const MAX_VALUES_PER_CONDITION = 3;
export const MAX_VALUES_PER_RULE = 5;
export const MAX_WILDCARDS_PER_RULE = 5;
const MAX_VALUE_LENGTH = 128;

const HOST_CHARS = /^[A-Za-z0-9\-_.*?]+$/;
const PATH_CHARS = /^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/;
/** RFC 7230 token characters, without "*": header names take no wildcards. */
const HEADER_NAME = /^[!#$%&'+\-.^_`|~0-9A-Za-z]+$/;
const METHOD = /^[A-Z_-]+$/;

function checkLength(field: string, value: string | undefined): string {
  if (value === undefined || value === "") throw validationError(`A condition value for '${field}' cannot be empty`);
  if (value.length > MAX_VALUE_LENGTH)
    throw validationError(`Condition value '${value}' for '${field}' cannot be longer than ${MAX_VALUE_LENGTH} characters`);
  return value;
}

function checkHost(v: string) {
  checkLength("host-header", v);
  if (!HOST_CHARS.test(v))
    throw validationError(
      `Condition value '${v}' for 'host-header' contains invalid characters; allowed are A-Z, a-z, 0-9, '-', '_', '.', '*' and '?'`,
    );
  // The ALB guide: a host name must contain a "." and end in letters (or wildcards) after the last one.
  const tld = v.slice(v.lastIndexOf(".") + 1);
  if (!v.includes(".") || !/^[A-Za-z*?]+$/.test(tld))
    throw validationError(`Condition value '${v}' for 'host-header' must contain a '.' followed only by letters`);
}

function checkPath(v: string) {
  checkLength("path-pattern", v);
  if (!PATH_CHARS.test(v)) throw validationError(`Condition value '${v}' for 'path-pattern' contains invalid characters`);
}

function checkCidr(v: string) {
  checkLength("source-ip", v);
  const slash = v.indexOf("/");
  const addr = slash < 0 ? v : v.slice(0, slash);
  const bits = slash < 0 ? "" : v.slice(slash + 1);
  const max = isIPv4(addr) ? 32 : isIPv6(addr) ? 128 : 0;
  if (max === 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > max)
    throw validationError(`Condition value '${v}' for 'source-ip' is not a valid CIDR block`);
}

/** Wildcards a pattern spends from the rule's budget (query strings may escape them with "\"). */
function wildcards(v: string, escapable = false): number {
  const plain = escapable ? v.replace(/\\[*?\\]/g, "") : v;
  return (plain.match(/[*?]/g) ?? []).length;
}

function listOf(field: string, values: string[] | undefined): string[] {
  if (!values || values.length === 0) throw validationError(`A condition for '${field}' must specify at least one value`);
  if (values.length > MAX_VALUES_PER_CONDITION)
    throw validationError(`A condition for '${field}' can have at most '${MAX_VALUES_PER_CONDITION}' values`);
  return values;
}

/** One condition: validated, normalised, and what it spends of the rule's value and wildcard budgets. */
function normaliseCondition(c: ConditionInput): { condition: ConditionRecord; values: number; wildcards: number } {
  const field = c.Field;
  if (!field) throw validationError("A condition field must be specified");
  const configKey = CONFIG_OF[field];
  if (!configKey)
    throw validationError(
      `Condition field '${field}' must be one of '[http-header, http-request-method, host-header, path-pattern, query-string, source-ip]'`,
    );
  for (const key of CONFIG_KEYS) {
    if (key !== configKey && c[key] !== undefined)
      throw validationError(`'${key}' cannot be specified for a condition with field '${field}'`);
  }
  const config = c[configKey];
  const legacy = c.Values;
  if (legacy !== undefined && legacy.length > 0) {
    if (field !== "host-header" && field !== "path-pattern")
      throw validationError(`Condition field '${field}' requires '${configKey}'; 'Values' is only for host-header and path-pattern`);
    if (config !== undefined) throw validationError(`You cannot specify both 'Values' and '${configKey}' for a '${field}' condition`);
    if (legacy.length > 1)
      throw validationError(`A '${field}' condition can have only one value in 'Values'; use '${configKey}' for several`);
  } else if (config === undefined) {
    throw validationError(`A '${field}' condition must specify '${configKey}'`);
  }

  switch (field) {
    case "host-header":
    case "path-pattern": {
      const values = listOf(field, legacy?.length ? legacy : (config as { Values?: string[] }).Values);
      values.forEach(field === "host-header" ? checkHost : checkPath);
      const n = values.reduce((sum, v) => sum + wildcards(v), 0);
      const condition: ConditionRecord =
        field === "host-header"
          ? { Field: field, Values: [...values], HostHeaderConfig: { Values: [...values] } }
          : { Field: field, Values: [...values], PathPatternConfig: { Values: [...values] } };
      return { condition, values: values.length, wildcards: n };
    }
    case "http-header": {
      const cfg = c.HttpHeaderConfig!;
      const name = cfg.HttpHeaderName;
      if (!name) throw validationError("An http-header condition must specify 'HttpHeaderName'");
      if (name.length > 40 || !HEADER_NAME.test(name))
        throw validationError(`HTTP header name '${name}' is not valid: at most 40 RFC 7230 token characters, no wildcards`);
      if (name.toLowerCase() === "host")
        throw validationError("Use a host-header condition, not an http-header condition, to match the Host header");
      const values = listOf(field, cfg.Values).map((v) => checkLength(field, v));
      return {
        condition: { Field: field, HttpHeaderConfig: { HttpHeaderName: name, Values: [...values] } },
        values: values.length,
        wildcards: values.reduce((n, v) => n + wildcards(v), 0),
      };
    }
    case "query-string": {
      const pairs = c.QueryStringConfig!.Values;
      if (!pairs || pairs.length === 0) throw validationError("A query-string condition must specify at least one key/value pair");
      if (pairs.length > MAX_VALUES_PER_CONDITION)
        throw validationError(`A condition for 'query-string' can have at most '${MAX_VALUES_PER_CONDITION}' values`);
      let n = 0;
      const out = pairs.map((p) => {
        const value = checkLength(field, p.Value);
        n += wildcards(value, true);
        if (p.Key === undefined) return { Value: value };
        n += wildcards(checkLength(field, p.Key), true);
        return { Key: p.Key, Value: value };
      });
      return { condition: { Field: field, QueryStringConfig: { Values: out } }, values: out.length, wildcards: n };
    }
    case "http-request-method": {
      const values = listOf(field, c.HttpRequestMethodConfig!.Values);
      for (const v of values) {
        if (!v || v.length > 40 || !METHOD.test(v))
          throw validationError(`HTTP request method '${v}' is not valid: at most 40 characters A-Z, '-' and '_' (no wildcards)`);
      }
      return { condition: { Field: field, HttpRequestMethodConfig: { Values: [...values] } }, values: values.length, wildcards: 0 };
    }
    default: {
      const values = listOf(field, c.SourceIpConfig!.Values);
      values.forEach(checkCidr);
      return { condition: { Field: field, SourceIpConfig: { Values: [...values] } }, values: values.length, wildcards: 0 };
    }
  }
}

/** Validate a rule's conditions as a whole and return them as DescribeRules shows them. */
export function normaliseConditions(conditions: ConditionInput[] | undefined): ConditionRecord[] {
  const list = conditions ?? [];
  if (list.length === 0) throw validationError("A rule must have at least one condition");
  const seen = new Set<string>();
  let values = 0;
  let wild = 0;
  const out = list.map((c) => {
    const n = normaliseCondition(c);
    if (SINGLE_USE.has(n.condition.Field)) {
      if (seen.has(n.condition.Field)) throw validationError(`A rule can have only one '${n.condition.Field}' condition`);
      seen.add(n.condition.Field);
    }
    values += n.values;
    wild += n.wildcards;
    return n.condition;
  });
  if (values > MAX_VALUES_PER_RULE) throw validationError(`A rule can only have '${MAX_VALUES_PER_RULE}' condition values`);
  if (wild > MAX_WILDCARDS_PER_RULE) throw validationError(`A rule can only have '${MAX_WILDCARDS_PER_RULE}' wildcards`);
  return out;
}
