import { Skeleton } from "@/components/ui/skeleton";

/** While the environment page reads its state: the page's shape, so nothing jumps when it arrives. */
export default function Loading() {
  return (
    <div className="grid min-w-0 gap-4 [&>*]:min-w-0" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading the environment…</span>
      <Skeleton className="h-4 w-40" />
      <Skeleton className="h-7 w-1/2" />
      <Skeleton className="h-4 w-3/4" />
      <Skeleton className="h-64 w-full" />
      <Skeleton className="h-40 w-full" />
    </div>
  );
}
