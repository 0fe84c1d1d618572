import type * as React from "react";
import { ChevronDown } from "lucide-react";
import { cn } from "@/lib/utils";
import { controlClasses } from "./input";

export type SelectOption = { value: string; label: string; disabled?: boolean };

export type SelectProps = React.ComponentProps<"select"> & {
  /** Convenience: rendered as <option>s after any children. */
  options?: ReadonlyArray<SelectOption>;
  /** Adds a first, empty-valued option (e.g. "Choose an account"). */
  placeholder?: string;
  /** Classes for the wrapper (width, margins); `className` styles the <select>. */
  wrapperClassName?: string;
};

/** A styled native <select>: works in forms, server components and Playwright's selectOption. */
export function Select({ className, wrapperClassName, options, placeholder, children, ...props }: SelectProps) {
  return (
    <div className={cn("relative h-fit w-full", wrapperClassName)}>
      <select className={cn(controlClasses, "h-8 cursor-pointer appearance-none pr-8", className)} {...props}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {children}
        {options?.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      <ChevronDown aria-hidden className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
    </div>
  );
}
