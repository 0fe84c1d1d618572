/** The three roles, each including the one before it. */
export const ROLES = ["viewer", "deployer", "admin"] as const;
export type Role = (typeof ROLES)[number];

const rank: Record<Role, number> = { viewer: 0, deployer: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` may do what `required` may do. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}

export const roleDescriptions: Record<Role, string> = {
  viewer: "Reads everything",
  deployer: "Rolls out, rolls back and scales",
  admin: "Everything, including accounts, users, API tokens and deleting environments",
};
