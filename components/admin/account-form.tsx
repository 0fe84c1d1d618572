"use client";

import * as React from "react";
import { useActionState } from "react";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
  DialogClose,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, type SelectOption } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/server/result.ts";

type SaveAction = (prev: ActionResult<{ name: string }> | null, fd: FormData) => Promise<ActionResult<{ name: string }>>;
type Mode = "role" | "endpoint";

/** What the form needs of an existing account (edit); absent when adding. */
export type AccountFormValues = {
  id: string;
  name: string;
  defaultRegion: string;
  roleArn: string | null;
  externalId: string | null;
  endpointUrl: string | null;
};

const FIELDS = ["name", "defaultRegion", "mode", "roleArn", "externalId", "endpointUrl"] as const;

type AccountDialogProps = {
  action: SaveAction;
  regions: ReadonlyArray<SelectOption>;
  /** Edit this account; without it the dialog adds a new one. */
  account?: AccountFormValues;
};

/** "Add account" / "Edit" button with its dialog. The form remounts (fresh state) on every open. */
export function AccountDialog({ action, regions, account }: AccountDialogProps) {
  const [open, setOpen] = React.useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        {account ? (
          <Button variant="ghost" size="sm" aria-label={`Edit ${account.name}`}>
            <Pencil aria-hidden />
            Edit
          </Button>
        ) : (
          <Button>
            <Plus aria-hidden />
            Add account
          </Button>
        )}
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] max-w-lg overflow-y-auto">
        <DialogHeader>
          <DialogTitle>{account ? `Edit ${account.name}` : "Add an AWS account"}</DialogTitle>
          <DialogDescription>
            Switchyard assumes the role with the credentials of the machine it runs on, or talks to the endpoint directly. No secret is
            stored.
          </DialogDescription>
        </DialogHeader>
        <AccountForm action={action} regions={regions} account={account} onSaved={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

function AccountForm({ action, regions, account, onSaved }: AccountDialogProps & { onSaved: () => void }) {
  const [state, formAction, pending] = useActionState(action, null);
  const v = state && !state.ok && state.values && typeof state.values === "object" ? (state.values as Record<string, string>) : {};
  const f = state && !state.ok ? state.fields : undefined;
  const [mode, setMode] = React.useState<Mode>(account && !account.roleArn && account.endpointUrl ? "endpoint" : "role");

  // Each result is handled once, even if the parent re-renders before the dialog closes.
  const handled = React.useRef<typeof state>(null);
  React.useEffect(() => {
    if (state?.ok && handled.current !== state) {
      handled.current = state;
      toast.success(state.message ?? "Saved");
      onSaved();
    }
  }, [state, onSaved]);

  const hasFieldError = FIELDS.some((k) => f?.[k]?.length);
  const idp = account ? `account-${account.id}` : "account-new";

  return (
    <form action={formAction} aria-label={account ? `Edit ${account.name}` : "Add account"} className="grid gap-4" noValidate>
      {state && !state.ok && !hasFieldError ? <Alert variant="destructive">{state.message}</Alert> : null}
      {account ? <input type="hidden" name="id" value={account.id} /> : null}
      <FormField
        label="Name"
        htmlFor={`${idp}-name`}
        error={f?.name}
        hint={
          account
            ? "Environment specs refer to the account by name, so it cannot change."
            : "Lowercase letters, digits and hyphens, e.g. prod or staging-eu."
        }
      >
        <Input
          id={`${idp}-name`}
          name="name"
          defaultValue={account?.name ?? v.name}
          readOnly={Boolean(account)}
          className={account ? "bg-muted" : undefined}
          autoComplete="off"
          spellCheck={false}
        />
      </FormField>
      <FormField label="Default region" htmlFor={`${idp}-region`} error={f?.defaultRegion}>
        <Select
          id={`${idp}-region`}
          name="defaultRegion"
          defaultValue={v.defaultRegion ?? account?.defaultRegion ?? "us-east-1"}
          options={regions}
        />
      </FormField>
      <fieldset className="grid gap-2">
        <legend className="mb-1.5 text-sm font-medium">How Switchyard reaches the account</legend>
        {(
          [
            ["role", "Assume an IAM role", "Real AWS: a role in the account that trusts the machine Switchyard runs on."],
            ["endpoint", "Custom endpoint", "An AWS-compatible endpoint such as the local cloud."],
          ] as const
        ).map(([value, label, hint]) => (
          <label
            key={value}
            className="flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-accent/50"
          >
            <input
              type="radio"
              name="mode"
              value={value}
              defaultChecked={mode === value}
              onChange={() => setMode(value)}
              className="mt-0.5 accent-primary"
            />
            <span className="grid gap-0.5">
              <span className="font-medium">{label}</span>
              <span className="text-xs text-muted-foreground">{hint}</span>
            </span>
          </label>
        ))}
        {f?.mode?.[0] ? (
          <p role="alert" className="text-xs font-medium text-destructive">
            {f.mode[0]}
          </p>
        ) : null}
      </fieldset>
      {mode === "role" ? (
        <>
          <FormField label="Role ARN" htmlFor={`${idp}-roleArn`} error={f?.roleArn}>
            <Input
              id={`${idp}-roleArn`}
              name="roleArn"
              defaultValue={v.roleArn ?? account?.roleArn ?? ""}
              placeholder="arn:aws:iam::123456789012:role/SwitchyardDeployer"
              className="font-mono text-xs"
              autoComplete="off"
              spellCheck={false}
            />
          </FormField>
          <FormField
            label="External ID (optional)"
            htmlFor={`${idp}-externalId`}
            error={f?.externalId}
            hint="Only if the role's trust policy requires one."
          >
            <Input
              id={`${idp}-externalId`}
              name="externalId"
              defaultValue={v.externalId ?? account?.externalId ?? ""}
              autoComplete="off"
              spellCheck={false}
            />
          </FormField>
        </>
      ) : (
        <FormField label="Endpoint URL" htmlFor={`${idp}-endpointUrl`} error={f?.endpointUrl}>
          <Input
            id={`${idp}-endpointUrl`}
            name="endpointUrl"
            type="url"
            defaultValue={v.endpointUrl ?? account?.endpointUrl ?? ""}
            placeholder="http://127.0.0.1:4566"
            className="font-mono text-xs"
            autoComplete="off"
            spellCheck={false}
          />
        </FormField>
      )}
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" loading={pending}>
          {account ? "Save changes" : "Add account"}
        </Button>
      </DialogFooter>
    </form>
  );
}

type RemoveAccountButtonProps = {
  id: string;
  name: string;
  action: (id: string) => Promise<ActionResult>;
};

/** Remove with confirmation; the verb refuses while environments exist and its message is shown as a toast. */
export function RemoveAccountButton({ id, name, action }: RemoveAccountButtonProps) {
  return (
    <ConfirmDialog
      title={`Remove ${name}?`}
      description="Switchyard forgets the account. Nothing in AWS is touched. Accounts that still have environments cannot be removed."
      confirmLabel="Remove account"
      destructive
      onConfirm={async () => {
        const res = await action(id);
        if (res.ok) toast.success(`Account ${name} removed`);
        else toast.error(res.message);
      }}
    >
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Remove ${name}`}
        className="text-destructive hover:bg-destructive/10 hover:text-destructive"
      >
        <Trash2 aria-hidden />
        Remove
      </Button>
    </ConfirmDialog>
  );
}
