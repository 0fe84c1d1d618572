"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/server/result.ts";
import { CopyField } from "./copy-field";
import { describedRoleOptions } from "./role-select";

type TokenResult = ActionResult<{ token: string; name: string }>;
type TokenAction = (prev: TokenResult | null, fd: FormData) => Promise<TokenResult>;

const expiryOptions = [
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
  { value: "never", label: "Never" },
];

export function TokenForm({ action, appUrl }: { action: TokenAction; appUrl: string }) {
  const [state, formAction, pending] = useActionState(action, null);
  const v = state && !state.ok && state.values && typeof state.values === "object" ? (state.values as Record<string, string>) : {};
  const f = state && !state.ok ? state.fields : undefined;
  const hasFieldError = Boolean(f?.name?.length || f?.role?.length || f?.expiresIn?.length);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create token</CardTitle>
        <CardDescription>For CI and scripts calling the REST API. A token acts with the role you give it.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form
          action={formAction}
          aria-label="Create token"
          className="grid gap-4 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-start"
          noValidate
        >
          {state && !state.ok && !hasFieldError ? (
            <Alert variant="destructive" className="sm:col-span-4">
              {state.message}
            </Alert>
          ) : null}
          <FormField label="Token name" htmlFor="token-name" error={f?.name} hint="What uses it, e.g. github-actions.">
            <Input id="token-name" name="name" defaultValue={v.name} autoComplete="off" spellCheck={false} />
          </FormField>
          <FormField label="Role" htmlFor="token-role" error={f?.role}>
            <Select id="token-role" name="role" defaultValue={v.role || "deployer"} options={describedRoleOptions} />
          </FormField>
          <FormField label="Expires" htmlFor="token-expires" error={f?.expiresIn} hint="It stops working then; create a new one.">
            <Select id="token-expires" name="expiresIn" defaultValue={v.expiresIn || "90"} options={expiryOptions} />
          </FormField>
          <Button type="submit" loading={pending} className="sm:mt-[1.375rem]">
            Create token
          </Button>
        </form>
        {state?.ok ? (
          <div className="grid gap-2 rounded-md border border-success/30 bg-success/5 p-3">
            <CopyField id="new-token" label={`API token ${state.data.name}`} value={state.data.token} testId="new-token" />
            <p className="text-xs text-muted-foreground">Copy it now: it is shown only once. Use it like this:</p>
            <pre className="overflow-x-auto rounded-md border bg-card p-2 font-mono text-xs" data-testid="token-curl">
              {`curl -H "Authorization: Bearer ${state.data.token}" ${appUrl}/api/v1/environments`}
            </pre>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

type RevokeTokenButtonProps = {
  id: string;
  name: string;
  action: (id: string) => Promise<ActionResult>;
};

export function RevokeTokenButton({ id, name, action }: RevokeTokenButtonProps) {
  return (
    <ConfirmDialog
      title={`Revoke ${name}?`}
      description="Requests with this token are refused from now on. This cannot be undone; create a new token instead."
      confirmLabel="Revoke token"
      destructive
      onConfirm={async () => {
        const res = await action(id);
        if (res.ok) toast.success(`Token ${name} revoked`);
        else toast.error(res.message);
      }}
    >
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Revoke ${name}`}
        className="text-destructive hover:bg-destructive/10 hover:text-destructive"
      >
        Revoke
      </Button>
    </ConfirmDialog>
  );
}
