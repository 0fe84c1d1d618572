"use client";

import { type RefObject, useEffect } from "react";

/**
 * After a submit that came back with field errors: scroll the first field in error into view
 * and focus it, so the message is never off-screen (a long form is submitted from its bottom).
 * `result` is the action's latest result; a new object means a new submit.
 */
export function useFirstErrorFocus(form: RefObject<HTMLFormElement | null>, result: unknown, hasErrors: boolean) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new result is a new submit, so focus again even with the same errors
  useEffect(() => {
    if (!hasErrors || !form.current) return;
    const control = form.current.querySelector<HTMLElement>('[aria-invalid="true"]');
    const message = form.current.querySelector<HTMLElement>('[id$="-error"]');
    const target = control ?? message ?? form.current.querySelector<HTMLElement>('[role="alert"]');
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    control?.focus({ preventScroll: true });
  }, [form, result, hasErrors]);
}
