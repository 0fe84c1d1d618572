import type * as React from "react";
import { cn } from "@/lib/utils";

/** Shared look of text-like controls (input, textarea, select). */
export const controlClasses =
  "w-full min-w-0 rounded-md border border-input bg-card px-2.5 text-sm shadow-xs transition-colors outline-none placeholder:text-muted-foreground/70 focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/25 disabled:cursor-not-allowed disabled:bg-muted disabled:opacity-60 aria-invalid:border-destructive aria-invalid:focus-visible:ring-destructive/20";

export function Input({ className, type = "text", ...props }: React.ComponentProps<"input">) {
  return (
    <input
      type={type}
      className={cn(controlClasses, "h-8 file:mr-2 file:border-0 file:bg-transparent file:text-sm file:font-medium", className)}
      {...props}
    />
  );
}
