"use client";

import type * as React from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

export type NavLinkProps = {
  href: string;
  /** An element (not a component) so a server component can pass it, e.g. <Layers />. */
  icon?: React.ReactNode;
  /** Only highlight on the exact path, not on its sub-pages. */
  exact?: boolean;
  className?: string;
  children: React.ReactNode;
};

/** A sidebar link that marks itself with aria-current="page" on its section. */
export function NavLink({ href, icon, exact = false, className, children }: NavLinkProps) {
  const pathname = usePathname() ?? "";
  const active = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "flex h-8 items-center gap-2 rounded-md px-2.5 text-sm whitespace-nowrap text-muted-foreground transition-colors outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring [&_svg]:size-4 [&_svg]:shrink-0",
        active && "bg-accent font-medium text-foreground [&_svg]:text-foreground",
        className,
      )}
    >
      {icon}
      {children}
    </Link>
  );
}
