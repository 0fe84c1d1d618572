import { ensureLocalAccount } from "./accounts/accounts.ts";
import { systemActor } from "./auth/actor.ts";
import { auth } from "./auth/auth.ts";
import { ensureBootstrapToken } from "./auth/tokens.ts";
import { recordAuditAlone } from "./audit/record.ts";
import { db } from "./db/client.ts";
import { env } from "./env.ts";
import { logger } from "./log.ts";

/**
 * Runs once per server start (instrumentation.ts): the "local" account, and for automation
 * the first admin and an admin API token from SWITCHYARD_BOOTSTRAP_* when no user exists yet.
 */
export async function bootstrap() {
  if (env.SWITCHYARD_LOCALCLOUD === "on") await ensureLocalAccount(`http://127.0.0.1:${env.LOCALCLOUD_PORT}`);

  const email = env.SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL;
  const password = env.SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD;
  if (email && password && (await db.user.count()) === 0) {
    try {
      const { user } = await auth.api.createUser({ body: { email: email.toLowerCase(), password, name: "Admin", role: "admin" } });
      await recordAuditAlone(
        { ...systemActor, label: "bootstrap" },
        "user.create_first_admin",
        { type: "user", id: user.id, label: user.email },
        { after: { email: user.email, role: "admin" } },
      );
      if (env.SWITCHYARD_BOOTSTRAP_TOKEN) {
        const token = await ensureBootstrapToken(env.SWITCHYARD_BOOTSTRAP_TOKEN, user.id);
        await recordAuditAlone(
          { ...systemActor, label: "bootstrap" },
          "api_token.create",
          { type: "api_token", id: token.id, label: token.name },
          { after: { name: token.name, role: token.role } },
        );
      }
      logger.info("bootstrap: created the first admin", { email: user.email, token: env.SWITCHYARD_BOOTSTRAP_TOKEN ? "created" : "none" });
    } catch (e) {
      // Another replica may have won the race; the unique email decides.
      if ((await db.user.count()) === 0) throw e;
    }
  }
}
