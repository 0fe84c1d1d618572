"use client";

import * as React from "react";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/server/result.ts";
import { CopyField } from "./copy-field";
import { describedRoleOptions } from "./role-select";

type InviteResult = ActionResult<{ link: string; email: string }>;
type InviteAction = (prev: InviteResult | null, fd: FormData) => Promise<InviteResult>;

export function InviteForm({ action }: { action: InviteAction }) {
  const [state, formAction, pending] = useActionState(action, null);
  const v = state && !state.ok && state.values && typeof state.values === "object" ? (state.values as Record<string, string>) : {};
  const f = state && !state.ok ? state.fields : undefined;
  const hasFieldError = Boolean(f?.email?.length || f?.role?.length);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Invite someone</CardTitle>
        <CardDescription>They get a link to choose their name and password. The role can be changed later.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form action={formAction} aria-label="Invite someone" className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start" noValidate>
          {state && !state.ok && !hasFieldError ? (
            <Alert variant="destructive" className="sm:col-span-3">
              {state.message}
            </Alert>
          ) : null}
          <FormField label="Email" htmlFor="invite-email" error={f?.email}>
            <Input id="invite-email" name="email" type="email" defaultValue={v.email} autoComplete="off" placeholder="name@example.com" />
          </FormField>
          <FormField label="Role" htmlFor="invite-role" error={f?.role}>
            <Select id="invite-role" name="role" defaultValue={v.role || "viewer"} options={describedRoleOptions} />
          </FormField>
          <Button type="submit" loading={pending} className="sm:mt-[1.375rem]">
            Send invite
          </Button>
        </form>
        {state?.ok ? (
          <div className="grid gap-2 rounded-md border border-success/30 bg-success/5 p-3">
            <CopyField id="invite-link" label={`Invite link for ${state.data.email}`} value={state.data.link} testId="invite-link" />
            <p className="text-xs text-muted-foreground">
              Send this link to {state.data.email} yourself: it is shown only once and expires in 7 days.
            </p>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

type RevokeInviteButtonProps = {
  id: string;
  email: string;
  action: (id: string) => Promise<ActionResult>;
};

/** Revokes at once: an invitation is cheap to send again. */
export function RevokeInviteButton({ id, email, action }: RevokeInviteButtonProps) {
  const [pending, startTransition] = React.useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      loading={pending}
      aria-label={`Revoke invitation for ${email}`}
      className="text-destructive hover:bg-destructive/10 hover:text-destructive"
      onClick={() =>
        startTransition(async () => {
          const res = await action(id);
          if (res.ok) toast.success(`Invitation for ${email} revoked`);
          else toast.error(res.message);
        })
      }
    >
      Revoke
    </Button>
  );
}
