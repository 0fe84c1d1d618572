"use client";

import type * as React from "react";
import { Toaster as Sonner } from "sonner";

export { toast } from "sonner";

/** Mount once in the root layout; call `toast.success(...)` / `toast.error(...)` anywhere. */
export function Toaster(props: React.ComponentProps<typeof Sonner>) {
  return (
    <Sonner
      position="bottom-right"
      closeButton
      richColors
      duration={5000}
      toastOptions={{ className: "font-sans text-sm" }}
      style={
        {
          "--normal-bg": "var(--popover)",
          "--normal-text": "var(--popover-foreground)",
          "--normal-border": "var(--border)",
          "--border-radius": "var(--radius)",
        } as React.CSSProperties
      }
      {...props}
    />
  );
}
