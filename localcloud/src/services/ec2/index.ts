import type { ServiceModule } from "../../core/types.ts";

// Placeholder: the owner of this service replaces it.
const service: ServiceModule = {
  name: "ec2",
  initialState: () => ({}),
  handlers: {},
};
export default service;
