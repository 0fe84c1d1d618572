/**
 * AWS Secrets Manager (awsJson1_1): secrets with versions and staging labels (AWSCURRENT /
 * AWSPREVIOUS), ClientRequestToken idempotency, deletion with a recovery window, tags, resource
 * policies (kept, not enforced). Other services use api.ts for secrets they manage.
 */
import type { ServiceModule } from "../../core/types.ts";
import { initialSecretsState, type SecretsManagerState } from "./state.ts";
import { createSecret, deleteSecret, describeSecret, restoreSecret, updateSecret } from "./secrets.ts";
import { getSecretValue, listSecretVersionIds, putSecretValue } from "./values.ts";
import { listSecrets } from "./list.ts";
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy, tagResource, untagResource } from "./tags.ts";
import { tickSecrets } from "./lifecycle.ts";

export { createManagedSecret, deleteManagedSecret, getManagedSecret, putManagedSecretValue, defaultSecretsKmsKeyArn } from "./api.ts";

const service: ServiceModule<SecretsManagerState> = {
  name: "secretsmanager",
  initialState: initialSecretsState,
  handlers: {
    CreateSecret: createSecret,
    DescribeSecret: describeSecret,
    UpdateSecret: updateSecret,
    DeleteSecret: deleteSecret,
    RestoreSecret: restoreSecret,
    ListSecrets: listSecrets,
    GetSecretValue: getSecretValue,
    PutSecretValue: putSecretValue,
    ListSecretVersionIds: listSecretVersionIds,
    TagResource: tagResource,
    UntagResource: untagResource,
    GetResourcePolicy: getResourcePolicy,
    PutResourcePolicy: putResourcePolicy,
    DeleteResourcePolicy: deleteResourcePolicy,
  },
  tick: tickSecrets,
};
export default service;
