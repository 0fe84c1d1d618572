"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/**
 * Tear down, typed-name confirmation. The database leaves a named final snapshot unless the
 * person ticks "skip" (the choice is recorded in the audit log); a protected environment is
 * refused by the server until its protection is lifted.
 */
export function TeardownButton({
  name,
  disabled,
  onTeardown,
}: {
  name: string;
  disabled: boolean;
  onTeardown: (opts: { skipFinalSnapshot: boolean }) => unknown;
}) {
  const [skip, setSkip] = useState(false);
  return (
    <ConfirmDialog
      title={`Tear down ${name}?`}
      description={
        <>
          Every AWS resource of this environment is deleted, in reverse order. The database leaves a final snapshot and its automated
          backups. Type the name to confirm.
          <label className="mt-3 flex items-center gap-2 text-sm text-foreground">
            <Checkbox checked={skip} onChange={(e) => setSkip(e.target.checked)} aria-label="Skip the final database snapshot" />
            <span>Skip the final database snapshot (its data is then gone for good)</span>
          </label>
        </>
      }
      confirmLabel="Tear down"
      destructive
      requireText={name}
      onConfirm={() => onTeardown({ skipFinalSnapshot: skip })}
    >
      <Button variant="outline" size="sm" disabled={disabled}>
        Tear down
      </Button>
    </ConfirmDialog>
  );
}
