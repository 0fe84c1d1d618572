"use client";

import { useActionState, useRef, useTransition } from "react";
import { useFirstErrorFocus } from "@/components/use-first-error-focus";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/server/result.ts";

type Action = (prev: ActionResult | null, fd: FormData) => Promise<ActionResult>;

function valuesOf(state: ActionResult | null): Record<string, string> {
  return state && !state.ok && state.values && typeof state.values === "object" ? (state.values as Record<string, string>) : {};
}

function FormError({ state }: { state: ActionResult | null }) {
  if (!state || state.ok || (state.fields && Object.keys(state.fields).length > 0 && state.code === "VALIDATION_FAILED")) return null;
  return <Alert variant="destructive">{state.message}</Alert>;
}

export function SetupForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  const [, start] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const v = valuesOf(state);
  const f = state && !state.ok ? state.fields : undefined;
  useFirstErrorFocus(form, state, !!f && Object.keys(f).length > 0);
  // Submitted by hand, not through the form's action: a refused submit keeps every input, the password too.
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    start(() => formAction(data));
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Create the first admin</CardTitle>
        <CardDescription>Switchyard has no users yet. This account can invite everyone else.</CardDescription>
      </CardHeader>
      <CardContent>
        <form ref={form} onSubmit={submit} className="grid gap-4">
          <FormError state={state} />
          <FormField label="Name" htmlFor="name" error={f?.name}>
            <Input id="name" name="name" defaultValue={v.name} autoComplete="name" required />
          </FormField>
          <FormField label="Email" htmlFor="email" error={f?.email}>
            <Input id="email" name="email" type="email" defaultValue={v.email} autoComplete="email" required />
          </FormField>
          <FormField label="Password" htmlFor="password" error={f?.password} hint="At least 12 characters.">
            <Input id="password" name="password" type="password" autoComplete="new-password" required />
          </FormField>
          <Button type="submit" loading={pending}>
            Create admin and sign in
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

type SsoOption = { name: string; action: (fd: FormData) => Promise<void> };

export function SignInForm({ action, next, sso, error }: { action: Action; next?: string; sso?: SsoOption; error?: string }) {
  const [state, formAction, pending] = useActionState(action, null);
  const v = valuesOf(state);
  const f = state && !state.ok ? state.fields : undefined;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign in</CardTitle>
        <CardDescription>Use the email and password your admin set up for you.</CardDescription>
      </CardHeader>
      <CardContent>
        {error && !state ? (
          <Alert variant="destructive" className="mb-4">
            {error}
          </Alert>
        ) : null}
        {sso ? (
          <form action={sso.action} className="mb-4 grid gap-3">
            <input type="hidden" name="next" value={next ?? ""} />
            <Button type="submit" variant="outline">
              Sign in with {sso.name}
            </Button>
            <p className="text-center text-xs text-muted-foreground">or with your email and password</p>
          </form>
        ) : null}
        <form action={formAction} className="grid gap-4">
          <FormError state={state} />
          <input type="hidden" name="next" value={next ?? ""} />
          <FormField label="Email" htmlFor="email" error={f?.email}>
            <Input id="email" name="email" type="email" defaultValue={v.email} autoComplete="email" required />
          </FormField>
          <FormField label="Password" htmlFor="password" error={f?.password}>
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </FormField>
          <Button type="submit" loading={pending}>
            Sign in
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

export function AcceptInviteForm({ action, token, email, role }: { action: Action; token: string; email: string; role: string }) {
  const [state, formAction, pending] = useActionState(action, null);
  const v = valuesOf(state);
  const f = state && !state.ok ? state.fields : undefined;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Join Switchyard</CardTitle>
        <CardDescription>
          You were invited as <strong>{email}</strong> with the <strong>{role}</strong> role.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form action={formAction} className="grid gap-4">
          <FormError state={state} />
          <input type="hidden" name="token" value={token} />
          <FormField label="Name" htmlFor="name" error={f?.name}>
            <Input id="name" name="name" defaultValue={v.name} autoComplete="name" required />
          </FormField>
          <FormField label="Password" htmlFor="password" error={f?.password} hint="At least 12 characters.">
            <Input id="password" name="password" type="password" autoComplete="new-password" required />
          </FormField>
          <Button type="submit" loading={pending}>
            Create account
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
