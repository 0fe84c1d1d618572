import type * as React from "react";
import { cn } from "@/lib/utils";

export type SwitchProps = Omit<React.ComponentProps<"input">, "type" | "role">;

/**
 * A native checkbox exposed as role="switch": submits with forms like a checkbox,
 * works with Playwright's check()/uncheck(). The input covers the track so it
 * receives clicks; the track and knob are siblings styled from its state.
 */
export function Switch({ className, ...props }: SwitchProps) {
  return (
    <span className={cn("relative inline-flex h-5 w-9 shrink-0 align-middle", className)}>
      <input
        type="checkbox"
        // biome-ignore lint/a11y/useAriaPropsForRole: a native checkbox exposes its checked state itself
        role="switch"
        className="peer absolute inset-0 z-10 m-0 size-full cursor-pointer appearance-none rounded-full opacity-0 disabled:cursor-not-allowed"
        {...props}
      />
      <span
        aria-hidden
        className="pointer-events-none absolute inset-0 rounded-full bg-foreground/20 transition-colors peer-checked:bg-primary peer-focus-visible:ring-2 peer-focus-visible:ring-ring peer-focus-visible:ring-offset-1 peer-disabled:opacity-50"
      />
      <span
        aria-hidden
        className="pointer-events-none absolute top-0.5 left-0.5 size-4 rounded-full bg-white shadow-sm transition-transform peer-checked:translate-x-4"
      />
    </span>
  );
}
