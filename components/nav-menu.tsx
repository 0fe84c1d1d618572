"use client";

import { Menu, X } from "lucide-react";
import { type ReactNode, useState } from "react";
import { cn } from "@/lib/utils";

/**
 * The main navigation: a column in the sidebar on wide screens; behind a Menu button on
 * phones (nothing is cut off), closed again after following a link.
 */
export function NavMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="absolute top-3 right-3 inline-flex h-8 items-center gap-1.5 rounded-md border px-2.5 text-sm md:hidden"
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpen((o) => !o)}
      >
        {open ? <X className="size-4" aria-hidden /> : <Menu className="size-4" aria-hidden />}
        Menu
      </button>
      <nav
        id="main-nav"
        aria-label="Main"
        onClickCapture={(e) => {
          if ((e.target as HTMLElement).closest("a")) setOpen(false);
        }}
        className={cn("flex-col gap-1 px-2 pb-2 md:flex md:flex-1 md:overflow-y-auto md:pt-2", open ? "flex" : "hidden")}
      >
        {children}
      </nav>
    </>
  );
}
