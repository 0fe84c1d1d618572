/**
 * PutMetricData with AWS's validation (InvalidParameterValue, MissingParameter,
 * InvalidParameterCombination), and recordMetricData, the unchecked fast path the simulation
 * uses to publish metrics (AWS/* namespaces included, which PutMetricData refuses).
 */
import { AwsError, type CloudApi, type RequestContext } from "../../core/types.ts";
import { storeDatum, timestampMs, type Datum } from "./metric-store.ts";
import { cwState } from "./state.ts";

const invalidValue = (message: string) => new AwsError("InvalidParameterValue", message, 400);
const missing = (message: string) => new AwsError("MissingParameter", message, 400);
const combination = (message: string) => new AwsError("InvalidParameterCombination", message, 400);

const UNITS = new Set([
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None",
]);

/** AWS accepts values in [-2^360, 2^360] and no NaN or infinities. */
const LIMIT = 2 ** 360;
const validNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= LIMIT;

const TWO_WEEKS_MS = 14 * 24 * 3600_000;
const TWO_HOURS_MS = 2 * 3600_000;

export function validateDatum(d: Datum, i: number, nowMs: number): void {
  const where = `MetricData.member.${i + 1}`;
  if (!d.MetricName) throw missing(`The parameter ${where}.MetricName is required.`);
  if (d.MetricName.length > 255) throw invalidValue(`The parameter ${where}.MetricName must be at most 255 characters long.`);
  const dims = d.Dimensions ?? [];
  if (dims.length > 30) throw invalidValue(`The collection ${where}.Dimensions must not have a size greater than 30.`);
  const names = new Set<string>();
  dims.forEach((dim, j) => {
    if (!dim.Name) throw missing(`The parameter ${where}.Dimensions.member.${j + 1}.Name is required.`);
    if (dim.Value === undefined || dim.Value === null || dim.Value === "")
      throw missing(`The parameter ${where}.Dimensions.member.${j + 1}.Value is required.`);
    if (names.has(dim.Name)) throw invalidValue(`The dimension name ${dim.Name} in ${where}.Dimensions is duplicated.`);
    names.add(dim.Name);
  });
  const hasValue = d.Value !== undefined && d.Value !== null;
  const hasValues = !!d.Values?.length;
  const set = d.StatisticValues;
  if (hasValue && set)
    throw combination(`The parameters ${where}.Value and ${where}.StatisticValues are mutually exclusive and you have specified both.`);
  if (hasValue && hasValues)
    throw combination(`The parameters ${where}.Value and ${where}.Values are mutually exclusive and you have specified both.`);
  if (hasValues && set)
    throw combination(`The parameters ${where}.Values and ${where}.StatisticValues are mutually exclusive and you have specified both.`);
  if (!hasValue && !hasValues && !set)
    throw missing(`At least one of the parameters ${where}.Value, ${where}.StatisticValues or ${where}.Values must be specified.`);
  if (hasValue && !validNumber(d.Value)) throw invalidValue(`The value ${d.Value} for parameter ${where}.Value is invalid.`);
  if (hasValues) {
    if (d.Values!.length > 150) throw invalidValue(`The collection ${where}.Values must not have a size greater than 150.`);
    d.Values!.forEach((v, j) => {
      if (!validNumber(v)) throw invalidValue(`The value ${v} for parameter ${where}.Values.member.${j + 1} is invalid.`);
    });
    if (d.Counts?.length && d.Counts.length !== d.Values!.length)
      throw invalidValue(`The parameters ${where}.Values and ${where}.Counts must be of the same size.`);
    d.Counts?.forEach((c, j) => {
      if (!validNumber(c) || c < 0) throw invalidValue(`The value ${c} for parameter ${where}.Counts.member.${j + 1} is invalid.`);
    });
  } else if (d.Counts?.length) {
    throw missing(`The parameter ${where}.Values is required when ${where}.Counts is specified.`);
  }
  if (set) {
    for (const k of ["SampleCount", "Sum", "Minimum", "Maximum"] as const) {
      if (set[k] === undefined || set[k] === null) throw missing(`The parameter ${where}.StatisticValues.${k} is required.`);
      if (!validNumber(set[k])) throw invalidValue(`The value ${set[k]} for parameter ${where}.StatisticValues.${k} is invalid.`);
    }
    if (set.SampleCount <= 0)
      throw invalidValue(`The value ${set.SampleCount} for parameter ${where}.StatisticValues.SampleCount is invalid.`);
    if (set.Minimum > set.Maximum)
      throw invalidValue(`The parameter ${where}.StatisticValues.Minimum must be less than or equal to ${where}.StatisticValues.Maximum.`);
  }
  if (d.Unit !== undefined && !UNITS.has(d.Unit)) throw invalidValue(`The value ${d.Unit} for parameter ${where}.Unit is invalid.`);
  if (d.StorageResolution !== undefined && d.StorageResolution !== 1 && d.StorageResolution !== 60) {
    throw invalidValue(`The value ${d.StorageResolution} for parameter ${where}.StorageResolution is invalid. Valid values are 1 and 60.`);
  }
  if (d.Timestamp !== undefined) {
    const at = timestampMs(d.Timestamp, nowMs);
    if (!Number.isFinite(at)) throw invalidValue(`The value for parameter ${where}.Timestamp is invalid.`);
    if (at < nowMs - TWO_WEEKS_MS)
      throw invalidValue(`The parameter ${where}.Timestamp must specify a time no more than two weeks in the past.`);
    if (at > nowMs + TWO_HOURS_MS)
      throw invalidValue(`The parameter ${where}.Timestamp must specify a time no more than two hours in the future.`);
  }
}

export function putMetricData(input: { Namespace?: string; MetricData?: Datum[] }, ctx: RequestContext): Record<string, never> {
  const now = ctx.cloud.now();
  if (!input.Namespace) throw missing("The parameter Namespace is required.");
  if (input.Namespace.length > 255 || input.Namespace.startsWith(":"))
    throw invalidValue(`The value ${input.Namespace} for parameter Namespace is invalid.`);
  // The AWS/ namespaces belong to AWS services; only they publish there.
  if (input.Namespace.startsWith("AWS/")) throw invalidValue(`The value ${input.Namespace} for parameter Namespace is invalid.`);
  const data = input.MetricData ?? [];
  if (!data.length) throw missing("The parameter MetricData is required.");
  if (data.length > 1000) throw invalidValue("The collection MetricData must not have a size greater than 1000.");
  // Validate everything first: a request with one bad datum stores nothing.
  data.forEach((d, i) => validateDatum(d, i, now));
  recordMetricData(ctx.cloud, ctx.region, input.Namespace, data);
  return {};
}

/** Publish datapoints without validation (used by the simulation; cheap). */
export function recordMetricData(cloud: CloudApi, region: string, namespace: string, data: Datum[]): void {
  const state = cwState(cloud);
  const now = cloud.now();
  let stored = false;
  for (const d of data) stored = storeDatum(state, region, namespace, d, now) || stored;
  if (stored) cloud.markDirty();
}
