"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";

/**
 * The app's one QueryClient (mounted by the signed-in layout): every panel reads live state
 * from shared queries, so invalidating a key refreshes every panel that shows it at once.
 */
export function AppQueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 1_000 } } }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
