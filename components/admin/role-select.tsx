"use client";

import * as React from "react";
import { Select, type SelectOption } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import { ROLES, roleDescriptions, type Role } from "@/server/auth/roles.ts";
import type { ActionResult } from "@/server/result.ts";

/** Role options for invite and token forms: the name with what it may do. */
export const describedRoleOptions: ReadonlyArray<SelectOption> = ROLES.map((r) => ({ value: r, label: `${r}: ${roleDescriptions[r]}` }));

const shortRoleOptions: ReadonlyArray<SelectOption> = ROLES.map((r) => ({ value: r, label: r }));

export type RoleSelectProps = {
  userId: string;
  email: string;
  role: Role;
  action: (userId: string, role: string) => Promise<ActionResult>;
  /** E.g. for the signed-in admin: changing one's own role would end one's session. */
  disabled?: boolean;
  disabledReason?: string;
};

/** Changes a user's role as soon as another is chosen; goes back to the old role if the server refuses. */
export function RoleSelect({ userId, email, role, action, disabled, disabledReason }: RoleSelectProps) {
  const [value, setValue] = React.useState<string>(role);
  const [pending, startTransition] = React.useTransition();

  React.useEffect(() => setValue(role), [role]);

  function onChange(next: string) {
    const previous = value;
    setValue(next);
    startTransition(async () => {
      const res = await action(userId, next);
      if (res.ok) {
        toast.success(`${email} is now a ${next}`);
      } else {
        setValue(previous);
        toast.error(res.message);
      }
    });
  }

  return (
    <Select
      aria-label={`Role for ${email}`}
      title={disabled ? disabledReason : roleDescriptions[value as Role]}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      options={shortRoleOptions}
      wrapperClassName="w-32"
    />
  );
}
