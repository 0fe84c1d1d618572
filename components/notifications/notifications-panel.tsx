"use client";

import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { ChannelWithLog } from "@/server/notifications/channels.ts";
import type { ActionResult } from "@/server/result.ts";
import { AddChannelForm, type EventChoice } from "./add-channel-form";
import { DeliveryLog } from "./delivery-log";

export interface NotificationActions {
  list: (name: string) => Promise<ActionResult<ChannelWithLog[]>>;
  create: (
    name: string,
    values: { kind: string; name: string; url: string; events: string[] },
  ) => Promise<ActionResult<{ signingSecret: string | null }>>;
  update: (
    name: string,
    id: string,
    body: { enabled?: boolean; rotateSecret?: true },
  ) => Promise<ActionResult<{ signingSecret: string | null }>>;
  remove: (name: string, id: string) => Promise<ActionResult<{ deleted: boolean }>>;
  test: (name: string, id: string) => Promise<ActionResult<{ queued: boolean }>>;
}

/**
 * The environment's webhooks and Slack channels with their delivery log (refreshed every 10 s
 * while shown). Admins add, pause, test, rotate and delete; a signing secret is shown once.
 */
export function NotificationsPanel({
  name,
  initial,
  isAdmin,
  events,
  actions,
}: {
  name: string;
  initial: ChannelWithLog[];
  isAdmin: boolean;
  events: EventChoice[];
  actions: NotificationActions;
}) {
  const [channels, setChannels] = useState(initial);
  const [secret, setSecret] = useState<{ channel: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const refresh = async () => {
    const r = await actions.list(name);
    if (r.ok) setChannels(r.data);
  };
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, 10_000);
    return () => clearInterval(t);
  });
  const run = <T,>(fn: () => Promise<ActionResult<T>>, after?: (data: T) => void) =>
    start(async () => {
      const r = await fn();
      if (r.ok) {
        setError(null);
        after?.(r.data);
      } else setError(r.message);
      await refresh();
    });

  return (
    <Card className="mt-6" data-testid="notifications">
      <CardHeader>
        <CardTitle>Notifications</CardTitle>
        <CardDescription>
          Webhooks (JSON signed with HMAC-SHA256: X-Switchyard-Signature over "timestamp.body", X-Switchyard-Timestamp against replay) and
          Slack incoming webhooks, for rollouts, verdicts, rollbacks, approvals, alarms and drift. Failed deliveries are retried with
          backoff, in order.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {error ? <p className="text-sm text-destructive">{error}</p> : null}
        {secret ? (
          <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="signing-secret">
            Signing secret of <strong>{secret.channel}</strong>, shown this once:{" "}
            <code className="break-all font-mono">{secret.value}</code>
            <Button size="sm" variant="outline" className="ml-2" onClick={() => setSecret(null)}>
              I have copied it
            </Button>
          </div>
        ) : null}
        {channels.length === 0 ? <p className="text-sm text-muted-foreground">No channel yet.</p> : null}
        {channels.map((c) => (
          <section key={c.id} className="rounded-md border p-3" data-testid={`channel-${c.name}`}>
            <header className="flex flex-wrap items-center gap-2 text-sm">
              <strong>{c.name}</strong>
              <span className="rounded bg-muted px-1.5 text-xs">{c.kind}</span>
              <span className="font-mono text-xs text-muted-foreground">{c.url}</span>
              {!c.enabled ? <span className="text-xs text-amber-700">paused</span> : null}
              <span className="text-xs text-muted-foreground">{c.events.length ? c.events.join(", ") : "all events"}</span>
              {isAdmin ? (
                <span className="ml-auto flex gap-1">
                  <Button size="sm" variant="outline" disabled={pending || !c.enabled} onClick={() => run(() => actions.test(name, c.id))}>
                    Send test
                  </Button>
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={pending}
                    onClick={() => run(() => actions.update(name, c.id, { enabled: !c.enabled }))}
                  >
                    {c.enabled ? "Pause" : "Resume"}
                  </Button>
                  {c.kind === "webhook" ? (
                    <Button
                      size="sm"
                      variant="outline"
                      disabled={pending}
                      onClick={() =>
                        run(
                          () => actions.update(name, c.id, { rotateSecret: true }),
                          (d) => d.signingSecret && setSecret({ channel: c.name, value: d.signingSecret }),
                        )
                      }
                    >
                      New secret
                    </Button>
                  ) : null}
                  <Button size="sm" variant="outline" disabled={pending} onClick={() => run(() => actions.remove(name, c.id))}>
                    Delete
                  </Button>
                </span>
              ) : null}
            </header>
            <DeliveryLog deliveries={c.deliveries} />
          </section>
        ))}
        {isAdmin ? (
          <AddChannelForm
            events={events}
            pending={pending}
            onSubmit={(values, done) =>
              run(
                () => actions.create(name, values),
                (d) => {
                  done();
                  if (d.signingSecret) setSecret({ channel: values.name, value: d.signingSecret });
                },
              )
            }
          />
        ) : (
          <p className="text-xs text-muted-foreground">Admins add and change channels.</p>
        )}
      </CardContent>
    </Card>
  );
}
