"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** The environment page failed to render: say so, offer a retry, keep the way back. */
export default function EnvironmentError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="grid max-w-xl gap-4">
      <Alert variant="destructive" title="This environment could not be shown">
        Something failed while reading it{error.digest ? ` (reference ${error.digest})` : ""}. Try again; if it keeps failing, an admin can
        look the reference up in the server log.
      </Alert>
      <div className="flex gap-2">
        <Button onClick={reset}>Try again</Button>
        <Button variant="outline" asChild>
          <Link href="/environments">All environments</Link>
        </Button>
      </div>
    </div>
  );
}
