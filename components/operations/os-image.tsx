"use client";

import { useRouter } from "next/navigation";
import { ShieldCheck } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import type { OsImages } from "@/server/operations/os-images.ts";
import type { ActionResult } from "@/server/result.ts";

const age = (days: number | null) => (days === null ? "unknown" : days === 0 ? "today" : `${days} day${days === 1 ? "" : "s"}`);

/** The image each fleet runs, its age, whether a newer Amazon Linux 2023 exists, and "Patch OS". */
export function OsImagePanel({
  name,
  images,
  error,
  canPatch,
  patch,
}: {
  name: string;
  images: OsImages | null;
  error: string | null;
  canPatch: boolean;
  patch: (name: string) => Promise<ActionResult<{ id: string }>>;
}) {
  const router = useRouter();
  return (
    <Card className="mt-6" data-testid="os-images">
      <CardHeader>
        <CardTitle>Operating system</CardTitle>
        <CardDescription>
          The machine image each fleet runs (from its launch template version) and the newest Amazon Linux 2023 image (AWS&apos;s public SSM
          parameter). Patch OS rolls the new image out as a release of the same app version: blue-green, judged, and reversible.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {error ? <Alert variant="destructive">{error}</Alert> : null}
        {images ? (
          <>
            <Table>
              <THead>
                <TR>
                  <TH>Fleet</TH>
                  <TH>Image</TH>
                  <TH>Name</TH>
                  <TH>Age</TH>
                  <TH>Launch template version</TH>
                </TR>
              </THead>
              <TBody>
                {images.fleets.map((f) => (
                  <TR key={f.slot} data-testid={`os-image-${f.slot}`}>
                    <TD>
                      {f.slot} {f.slot === images.liveSlot ? <Badge variant="success">live</Badge> : null}
                    </TD>
                    <TD className="font-mono text-xs">{f.imageId}</TD>
                    <TD className="text-xs">{f.name ?? "unknown"}</TD>
                    <TD>{age(f.ageDays)}</TD>
                    <TD>{f.launchTemplateVersion ?? "?"}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            {images.newerAvailable && images.latest ? (
              <Alert data-testid="os-newer">
                A newer Amazon Linux 2023 image exists: {images.latest.imageId} ({images.latest.name}, {age(images.latest.ageDays)} old).
              </Alert>
            ) : (
              <p className="text-sm text-muted-foreground" data-testid="os-current">
                {images.latest
                  ? `The newest Amazon Linux 2023 image is ${images.latest.imageId}.`
                  : "AWS names no Amazon Linux 2023 image here."}
              </p>
            )}
            {canPatch && images.newerAvailable ? (
              <div>
                <ConfirmDialog
                  title="Patch the operating system?"
                  description="The idle fleet gets a new launch template version with the newest image and the same app version, then traffic moves by the rollout strategy, judged at each step."
                  confirmLabel="Patch OS"
                  onConfirm={async () => {
                    const res = await patch(name);
                    if (!res.ok) {
                      toast.error(res.message);
                      return false;
                    }
                    toast.success("Patch OS started");
                    router.refresh();
                  }}
                >
                  <Button size="sm">
                    <ShieldCheck aria-hidden /> Patch OS
                  </Button>
                </ConfirmDialog>
              </div>
            ) : null}
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
