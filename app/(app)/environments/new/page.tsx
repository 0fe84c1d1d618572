import { EnvironmentForm } from "@/components/environments/environment-form";
import { toFormState } from "@/components/environments/form-state";
import { PageHeader } from "@/components/page-header";
import { Alert } from "@/components/ui/alert";
import { requireSignedIn } from "@/server/auth/session.ts";
import { roleAtLeast } from "@/server/auth/roles.ts";
import { formCatalog } from "@/server/environments/form-catalog.ts";
import { DEFAULT_USER_DATA, defaultSpec } from "@/server/environments/spec.ts";
import { createEnvironmentAction, estimateCostAction } from "../actions";

export const dynamic = "force-dynamic";

export default async function NewEnvironmentPage() {
  const actor = await requireSignedIn();
  const breadcrumbs = [{ label: "Environments", href: "/environments" }, { label: "New" }];
  if (!roleAtLeast(actor.role, "admin")) {
    return (
      <>
        <PageHeader title="New environment" breadcrumbs={breadcrumbs} />
        <Alert variant="warning">Creating environments needs the admin role; you are a {actor.role}.</Alert>
      </>
    );
  }
  const catalog = await formCatalog(actor);
  const account = catalog.accounts[0];
  const initial = toFormState(defaultSpec(account?.name ?? "", account?.defaultRegion ?? "us-east-1"), { userData: DEFAULT_USER_DATA });
  return (
    <>
      <PageHeader
        title="New environment"
        description="Define the stack; provisioning is a separate step you start from the environment's page."
        breadcrumbs={breadcrumbs}
      />
      <EnvironmentForm initial={initial} catalog={catalog} mode="create" action={createEnvironmentAction} estimate={estimateCostAction} />
    </>
  );
}
