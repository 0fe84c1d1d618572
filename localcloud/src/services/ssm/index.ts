/**
 * AWS Systems Manager Parameter Store (awsJson1_1): String / StringList / SecureString
 * parameters with version history, hierarchies, tags, and AWS's public Amazon Linux 2023 AMI
 * parameters under /aws/service/ami-amazon-linux-latest/ (ids from EC2's image catalog).
 */
import type { ServiceModule } from "../../core/types.ts";
import { initialSsmState, type SsmState } from "./state.ts";
import { deleteParameter, deleteParameters, putParameter } from "./put.ts";
import { getParameter, getParameters, getParametersByPath } from "./get.ts";
import { describeParameters } from "./describe.ts";
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from "./tags.ts";

export { publicAmiParameters, PUBLIC_AMI_PATH } from "./public.ts";

const service: ServiceModule<SsmState> = {
  name: "ssm",
  initialState: initialSsmState,
  handlers: {
    PutParameter: putParameter,
    GetParameter: getParameter,
    GetParameters: getParameters,
    GetParametersByPath: getParametersByPath,
    DeleteParameter: deleteParameter,
    DeleteParameters: deleteParameters,
    DescribeParameters: describeParameters,
    AddTagsToResource: addTagsToResource,
    ListTagsForResource: listTagsForResource,
    RemoveTagsFromResource: removeTagsFromResource,
  },
};
export default service;
