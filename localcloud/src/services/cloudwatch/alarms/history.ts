/** DescribeAlarmHistory: the region's history (kept after an alarm is deleted, as in AWS), newest first by default. */
import { AwsError, type RequestContext } from "../../../core/types.ts";
import { fingerprint, pageOf } from "../../../core/paging.ts";
import { cwPages, cwState } from "../state.ts";

interface Input {
  AlarmName?: string;
  AlarmTypes?: string[];
  HistoryItemType?: string;
  StartDate?: Date;
  EndDate?: Date;
  MaxRecords?: number;
  NextToken?: string;
  ScanBy?: string;
}

const ITEM_TYPES = ["ConfigurationUpdate", "StateUpdate", "Action"];

export function describeAlarmHistory(input: Input, ctx: RequestContext) {
  const invalid = (message: string) => new AwsError("InvalidParameterValue", message, 400);
  if (input.HistoryItemType !== undefined && !ITEM_TYPES.includes(input.HistoryItemType))
    throw invalid(`The value ${input.HistoryItemType} for parameter HistoryItemType is invalid.`);
  const maxRecords = input.MaxRecords ?? 100;
  if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100)
    throw invalid("The parameter MaxRecords must be between 1 and 100.");
  const scanBy = input.ScanBy ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending")
    throw invalid(`The value ${scanBy} for parameter ScanBy is invalid.`);
  const types = input.AlarmTypes?.length ? input.AlarmTypes : ["MetricAlarm"];
  const from = input.StartDate?.getTime() ?? -Infinity;
  const to = input.EndDate?.getTime() ?? Infinity;

  const items = types.includes("MetricAlarm")
    ? cwState(ctx.cloud).history.filter(
        (h) =>
          h.region === ctx.region &&
          (!input.AlarmName || h.name === input.AlarmName) &&
          (!input.HistoryItemType || h.type === input.HistoryItemType) &&
          h.at >= from &&
          h.at <= to,
      )
    : [];
  if (scanBy === "TimestampDescending") items.reverse();
  const fp = fingerprint([ctx.region, input.AlarmName, types, input.HistoryItemType, input.StartDate, input.EndDate, maxRecords, scanBy]);
  const page = pageOf(items, input.NextToken, maxRecords, cwPages(fp, maxRecords));
  return {
    AlarmHistoryItems: page.items.map((h) => ({
      AlarmName: h.name,
      AlarmType: "MetricAlarm",
      Timestamp: new Date(h.at),
      HistoryItemType: h.type,
      HistorySummary: h.summary,
      HistoryData: h.data,
    })),
    NextToken: page.next,
  };
}
