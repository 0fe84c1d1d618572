"use client";

import * as React from "react";
import { Check, Copy } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";

/** Copies `text`; falls back to a selection copy where the Clipboard API is unavailable (plain http). */
async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection copy
  }
  if (!input) return false;
  input.select();
  return document.execCommand("copy");
}

export type CopyFieldProps = {
  id: string;
  label: string;
  value: string;
  testId?: string;
};

/** A read-only input holding a secret shown once, with a Copy button. */
export function CopyField({ id, label, value, testId }: CopyFieldProps) {
  const ref = React.useRef<HTMLInputElement>(null);
  const [copied, setCopied] = React.useState(false);

  async function onCopy() {
    const ok = await copyText(value, ref.current);
    if (ok) {
      setCopied(true);
      toast.success("Copied to the clipboard");
      setTimeout(() => setCopied(false), 2000);
    } else {
      toast.error("Could not copy: select the text and copy it by hand.");
    }
  }

  return (
    <div className="grid gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex gap-2">
        <Input
          ref={ref}
          id={id}
          value={value}
          readOnly
          data-testid={testId}
          className="font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <Button type="button" variant="outline" onClick={onCopy} aria-label={`Copy ${label.toLowerCase()}`}>
          {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
