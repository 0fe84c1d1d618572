import { notFound } from "next/navigation";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { toFormState } from "@/components/environments/form-state";
import { PageHeader } from "@/components/page-header";
import { Alert } from "@/components/ui/alert";
import { requireSignedIn } from "@/server/auth/session.ts";
import { roleAtLeast } from "@/server/auth/roles.ts";
import { ServiceError } from "@/server/errors.ts";
import { formCatalog } from "@/server/environments/form-catalog.ts";
import { getEnvironment } from "@/server/environments/queries.ts";
import { DEFAULT_USER_DATA } from "@/server/environments/spec.ts";
import { estimateCostAction, updateEnvironmentAction } from "../../actions";

export const dynamic = "force-dynamic";

export default async function EditEnvironmentPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const actor = await requireSignedIn();
  const found = await getEnvironment({ actor, input: { name } }).catch((e) => {
    if (e instanceof ServiceError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const breadcrumbs = [{ label: "Environments", href: "/environments" }, { label: name, href: `/environments/${name}` }, { label: "Edit" }];
  if (!roleAtLeast(actor.role, "admin")) {
    return (
      <>
        <PageHeader title={`Edit ${name}`} breadcrumbs={breadcrumbs} />
        <Alert variant="warning">Editing environments needs the admin role; you are a {actor.role}.</Alert>
      </>
    );
  }
  const catalog = await formCatalog(actor);
  return (
    <>
      <PageHeader
        title={`Edit ${name}`}
        description={`Currently at spec version ${found.environment.currentVersion}.`}
        breadcrumbs={breadcrumbs}
      />
      <EnvironmentForm
        initial={toFormState(found.spec, { userData: DEFAULT_USER_DATA })}
        catalog={catalog}
        mode="edit"
        locked={found.environment.status !== "draft"}
        action={updateEnvironmentAction}
        estimate={estimateCostAction}
      />
    </>
  );
}
