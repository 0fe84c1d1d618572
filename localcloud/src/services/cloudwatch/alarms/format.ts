/** Number and date formatting as CloudWatch writes them in alarm reasons (Java-style doubles). */

/** 80 -> "80.0", 91.25 -> "91.25", 1e7 -> "1.0E7" (as Java's Double.toString). */
export function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mantissa, exp] = n.toExponential().split("e");
    return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
  }
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "27/11/26 10:00:00" (UTC), the datapoint timestamps in a StateReason. */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** "2026-11-27T10:00:00.000+0000", the timestamps in StateReasonData. */
export function reasonDataDate(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

export const COMPARISON_WORDS: Record<string, string> = {
  GreaterThanThreshold: "greater than",
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

export function breaches(operator: string, value: number, threshold: number): boolean {
  switch (operator) {
    case "GreaterThanThreshold":
      return value > threshold;
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
    default:
      return false;
  }
}
