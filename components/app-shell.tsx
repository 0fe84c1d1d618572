import type * as React from "react";
import Link from "next/link";
import { Activity, Cloud, KeyRound, Layers, LogOut, ScrollText, Split, Users } from "lucide-react";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { NavMenu } from "@/components/nav-menu";
import { NavLink } from "@/components/ui/nav-link";

export type ShellRole = "viewer" | "deployer" | "admin";

export type AppShellProps = {
  user: { email: string; name: string; role: ShellRole };
  children: React.ReactNode;
  signOutAction: () => Promise<void>;
};

const roleVariant: Record<ShellRole, BadgeVariant> = {
  viewer: "secondary",
  deployer: "info",
  admin: "default",
};

export function AppShell({ user, children, signOutAction }: AppShellProps) {
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="relative flex shrink-0 flex-col border-b bg-card md:sticky md:top-0 md:h-screen md:w-56 md:border-r md:border-b-0">
        <Link
          href="/environments"
          className="flex h-14 items-center gap-2 px-4 font-semibold tracking-tight outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset"
        >
          <span className="grid size-7 place-items-center rounded-md bg-primary text-primary-foreground">
            <Split className="size-4 rotate-90" aria-hidden />
          </span>
          Switchyard
        </Link>
        <NavMenu>
          <NavLink href="/environments" icon={<Layers />}>
            Environments
          </NavLink>
          <NavLink href="/accounts" icon={<Cloud />}>
            AWS accounts
          </NavLink>
          <NavLink href="/insights" icon={<Activity />}>
            Deploy metrics
          </NavLink>
          <NavLink href="/audit" icon={<ScrollText />}>
            Audit log
          </NavLink>
          {user.role === "admin" ? (
            <>
              <p className="px-2.5 pt-4 pb-1 text-xs font-medium text-muted-foreground">Admin</p>
              <NavLink href="/admin/users" icon={<Users />}>
                Users
              </NavLink>
              <NavLink href="/admin/tokens" icon={<KeyRound />}>
                API tokens
              </NavLink>
            </>
          ) : null}
        </NavMenu>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex min-h-14 shrink-0 flex-wrap items-center justify-end gap-x-3 gap-y-1 border-b bg-card px-4 py-2 md:px-6">
          <div className="min-w-0 text-right leading-tight">
            <p className="truncate text-sm font-medium">{user.name}</p>
            <p className="truncate text-xs text-muted-foreground">{user.email}</p>
          </div>
          <Badge variant={roleVariant[user.role]} data-testid="user-role">
            <span className="sr-only">Role: </span>
            {user.role}
          </Badge>
          <form action={signOutAction}>
            <Button type="submit" variant="ghost" size="sm">
              <LogOut aria-hidden />
              Sign out
            </Button>
          </form>
        </header>
        <main className="mx-auto w-full max-w-[1200px] min-w-0 flex-1 px-4 py-6 md:px-8">{children}</main>
      </div>
    </div>
  );
}
