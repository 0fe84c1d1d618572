import { PrismaPg } from "@prisma/adapter-pg";
import { databaseUrl } from "../env.ts";
import { PrismaClient } from "../generated/prisma/client.ts";

/**
 * One Prisma client per process, created on first use (so `next build` can import modules
 * that use it without a database) and kept on globalThis so dev-mode reloads reuse its pool.
 */
const globalForDb = globalThis as unknown as { switchyardDb?: PrismaClient };

function client(): PrismaClient {
  if (!globalForDb.switchyardDb) {
    const adapter = new PrismaPg({ connectionString: databaseUrl(), max: 10, idleTimeoutMillis: 10_000 });
    globalForDb.switchyardDb = new PrismaClient({ adapter });
  }
  return globalForDb.switchyardDb;
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === "function" ? value.bind(c) : value;
  },
});

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
export { Prisma } from "../generated/prisma/client.ts";
