/** Hook tokens: deterministic per deployment, so any replica can resume them. */
export const approvalToken = (deploymentId: string) => `switchyard:approve:${deploymentId}`;
export const abortToken = (deploymentId: string) => `switchyard:abort:${deploymentId}`;
