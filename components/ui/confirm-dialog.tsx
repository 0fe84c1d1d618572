"use client";

import * as React from "react";
import { Button } from "./button";
import { Input } from "./input";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "./dialog";

export type ConfirmDialogProps = {
  title: string;
  description?: React.ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  /** Red confirm button for irreversible actions. */
  destructive?: boolean;
  /**
   * Runs on confirm. The dialog shows a spinner while a returned promise is pending and
   * closes afterwards; return `false` (or throw) to keep it open, e.g. after showing a toast.
   */
  onConfirm: () => unknown;
  /** When set, the confirm button stays disabled until the user types this text. */
  requireText?: string;
  /** The trigger: a single element (usually a Button), rendered as the dialog trigger. */
  children: React.ReactElement;
};

export function ConfirmDialog({
  title,
  description,
  confirmLabel = "Confirm",
  cancelLabel = "Cancel",
  destructive = false,
  onConfirm,
  requireText,
  children,
}: ConfirmDialogProps) {
  const [open, setOpen] = React.useState(false);
  const [pending, setPending] = React.useState(false);
  const [typed, setTyped] = React.useState("");
  const inputId = React.useId();
  const blocked = requireText !== undefined && typed !== requireText;

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    if (!next) setTyped("");
  }

  async function confirm() {
    setPending(true);
    let keepOpen = false;
    try {
      keepOpen = (await onConfirm()) === false;
    } catch (error) {
      keepOpen = true;
      console.error(error);
    } finally {
      setPending(false);
    }
    if (!keepOpen) {
      setOpen(false);
      setTyped("");
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{children}</DialogTrigger>
      <DialogContent hideClose={pending} role="alertdialog">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          {description ? <DialogDescription>{description}</DialogDescription> : null}
        </DialogHeader>
        {requireText !== undefined ? (
          <div className="grid gap-1.5">
            <label htmlFor={inputId} className="text-sm text-muted-foreground">
              Type <span className="font-mono font-medium text-foreground">{requireText}</span> to confirm
            </label>
            <Input id={inputId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
          </div>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline" disabled={pending}>
              {cancelLabel}
            </Button>
          </DialogClose>
          <Button variant={destructive ? "destructive" : "default"} loading={pending} disabled={blocked} onClick={confirm}>
            {confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
