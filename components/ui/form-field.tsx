import * as React from "react";
import { cn } from "@/lib/utils";
import { Label } from "./label";

export const fieldErrorId = (htmlFor: string) => `${htmlFor}-error`;
export const fieldHintId = (htmlFor: string) => `${htmlFor}-hint`;

export type FormFieldProps = {
  label: React.ReactNode;
  /** The control's id. Also used to derive the error and hint ids. */
  htmlFor: string;
  /** A message or a zod-style list of messages; only the first is shown. */
  error?: string | ReadonlyArray<string> | null;
  hint?: React.ReactNode;
  required?: boolean;
  className?: string;
  children: React.ReactNode;
};

type AriaProps = { "aria-describedby"?: string; "aria-invalid"?: React.AriaAttributes["aria-invalid"] };

/**
 * Label + control + hint + error. When the child is a single element, it receives
 * aria-describedby (hint and error ids) and aria-invalid, unless it sets them itself.
 */
export function FormField({ label, htmlFor, error, hint: givenHint, required, className, children }: FormFieldProps) {
  let hint = givenHint;
  const message = typeof error === "string" ? error : error?.[0];
  // A hint that says what the error says ("At least 12 characters") is not shown twice.
  const same = (a: string, b: string) => a.replace(/\.$/, "").trim().toLowerCase() === b.replace(/\.$/, "").trim().toLowerCase();
  if (message && typeof hint === "string" && same(hint, message)) hint = undefined;
  const describedBy = [hint ? fieldHintId(htmlFor) : null, message ? fieldErrorId(htmlFor) : null].filter(Boolean).join(" ") || undefined;

  let control = children;
  if (React.isValidElement<AriaProps>(children) && children.type !== React.Fragment) {
    const own = children.props;
    control = React.cloneElement(children, {
      "aria-describedby": own["aria-describedby"] ?? describedBy,
      "aria-invalid": own["aria-invalid"] ?? (message ? true : undefined),
    });
  }

  return (
    <div className={cn("grid gap-1.5", className)}>
      <Label htmlFor={htmlFor}>
        {label}
        {required ? (
          <span className="ml-0.5 text-destructive" aria-hidden>
            *
          </span>
        ) : null}
      </Label>
      {control}
      {hint ? (
        <p id={fieldHintId(htmlFor)} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {message ? (
        <p id={fieldErrorId(htmlFor)} role="alert" className="text-xs font-medium text-destructive">
          {message}
        </p>
      ) : null}
    </div>
  );
}
