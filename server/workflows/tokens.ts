/** Hook tokens: deterministic per deployment, so any replica can resume them. */
export const approvalToken = (deploymentId: string) => `switchyard:approve:${deploymentId}`;
export const abortToken = (deploymentId: string) => `switchyard:abort:${deploymentId}`;
/** A canary step held on an undecided verdict: one hook per step (approve = continue). */
export const holdToken = (deploymentId: string, step: string) => `switchyard:hold:${deploymentId}:${step}`;
