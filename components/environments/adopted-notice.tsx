"use client";

import { Unlink } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toaster";
import type { AdoptedResources } from "@/server/adopt/record.ts";
import type { ActionResult } from "@/server/result.ts";

/** What an adopted environment points at; its teardown is "Forget" (nothing in AWS is deleted). */
export function AdoptedNotice({
  name,
  adopted,
  canForget,
  forget,
}: {
  name: string;
  adopted: AdoptedResources;
  canForget: boolean;
  forget: (name: string) => Promise<ActionResult<{ keptInAws: string[] }>>;
}) {
  const rows: Array<[string, string]> = [
    ["Load balancer", adopted.loadBalancer.name],
    ["Listener", adopted.listenerArn.split("/").slice(-3).join("/")],
    [
      "Blue: target group / Auto Scaling group / launch template",
      `${adopted.targetGroups.blue.name} / ${adopted.groups.blue} / ${adopted.launchTemplates.blue.name}`,
    ],
    [
      "Green: target group / Auto Scaling group / launch template",
      `${adopted.targetGroups.green.name} / ${adopted.groups.green} / ${adopted.launchTemplates.green.name}`,
    ],
  ];
  return (
    <Card className="mb-6" data-testid="adopted-notice">
      <CardHeader>
        <CardTitle>Adopted stack</CardTitle>
        <CardDescription>
          Adopted by {adopted.adoptedBy}. Switchyard did not create these resources: it rolls out new versions of the groups&apos; launch
          templates and moves the listener&apos;s weights, and never deletes any of them. Tearing down only forgets the environment.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <dl className="grid gap-1 text-sm">
          {rows.map(([k, v]) => (
            <div key={k} className="flex flex-wrap gap-2">
              <dt className="text-muted-foreground">{k}:</dt>
              <dd className="font-mono text-xs leading-5">{v}</dd>
            </div>
          ))}
        </dl>
        {canForget ? (
          <div>
            <ConfirmDialog
              title={`Forget ${name}?`}
              description="Switchyard stops managing this stack. Every AWS resource stays exactly as it is; the environment's history and audit trail are kept."
              confirmLabel="Forget"
              requireText={name}
              onConfirm={async () => {
                const res = await forget(name);
                if (res && !res.ok) {
                  toast.error(res.message);
                  return false;
                }
              }}
            >
              <Button variant="outline" size="sm">
                <Unlink aria-hidden /> Forget
              </Button>
            </ConfirmDialog>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
