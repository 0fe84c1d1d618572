/** A tiny request-rate sparkline (plain SVG: the list page stays light). */
export function Sparkline({
  values,
  width = 120,
  height = 28,
  label,
}: {
  values: number[];
  width?: number;
  height?: number;
  label: string;
}) {
  if (!values.length) return <span className="text-muted-foreground">—</span>;
  const max = Math.max(...values, 0.001);
  const step = width / Math.max(1, values.length - 1);
  const d = values
    .map((v, i) => `${i === 0 ? "M" : "L"}${(i * step).toFixed(1)} ${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`)
    .join(" ");
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid="sparkline"
      data-points={values.length}
    >
      <path d={`${d} L${width} ${height} L0 ${height} Z`} fill="var(--blue-slot, #2563eb)" fillOpacity={0.12} stroke="none" />
      <path d={d} fill="none" stroke="var(--blue-slot, #2563eb)" strokeWidth={1.5} />
    </svg>
  );
}
