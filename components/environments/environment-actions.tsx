"use client";

import { useRouter } from "next/navigation";
import { History, Trash2 } from "lucide-react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/server/result.ts";

export function RestoreVersionButton({
  name,
  version,
  action,
}: {
  name: string;
  version: number;
  action: (name: string, version: number) => Promise<ActionResult<{ version: number }>>;
}) {
  const router = useRouter();
  return (
    <ConfirmDialog
      title={`Restore version ${version}?`}
      description={`Version ${version}'s spec is saved as a new version of ${name}. History is kept.`}
      confirmLabel="Restore"
      onConfirm={async () => {
        const res = await action(name, version);
        if (!res.ok) {
          toast.error(res.message);
          return false;
        }
        toast.success(`Restored as version ${res.data.version}`);
        router.refresh();
      }}
    >
      <Button variant="outline" size="sm">
        <History aria-hidden /> Restore
      </Button>
    </ConfirmDialog>
  );
}

export function DeleteEnvironmentButton({ name, action }: { name: string; action: (name: string) => Promise<ActionResult> }) {
  return (
    <ConfirmDialog
      title={`Delete ${name}?`}
      description="The environment is marked deleted and its name becomes free; its history and audit trail are kept. Type the name to confirm."
      confirmLabel="Delete environment"
      destructive
      requireText={name}
      onConfirm={async () => {
        const res = await action(name);
        if (res && !res.ok) {
          toast.error(res.message);
          return false;
        }
      }}
    >
      <Button variant="outline" size="sm">
        <Trash2 aria-hidden /> Delete
      </Button>
    </ConfirmDialog>
  );
}
