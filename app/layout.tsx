import type { Metadata } from "next";
import { Toaster } from "@/components/ui/toaster";
import "./globals.css";

// Every page is rendered per request: its scripts carry that request's CSP nonce (server/security/http-guard.ts).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Switchyard", template: "%s · Switchyard" },
  description: "Blue-green rollouts, one-click rollback and live health for Amazon-style web stacks.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <Toaster />
      </body>
    </html>
  );
}
