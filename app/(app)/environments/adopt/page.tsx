import { AdoptForm } from "@/components/environments/adopt-form";
import { PageHeader } from "@/components/page-header";
import { Alert } from "@/components/ui/alert";
import { requireSignedIn } from "@/server/auth/session.ts";
import { roleAtLeast } from "@/server/auth/roles.ts";
import { REGIONS } from "@/server/catalog/aws.ts";
import { listAccounts } from "@/server/accounts/accounts.ts";
import { adoptAction, discoverAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function AdoptPage() {
  const actor = await requireSignedIn();
  const breadcrumbs = [{ label: "Environments", href: "/environments" }, { label: "Adopt" }];
  if (!roleAtLeast(actor.role, "admin")) {
    return (
      <>
        <PageHeader title="Adopt existing stack" breadcrumbs={breadcrumbs} />
        <Alert variant="warning">Adopting a stack needs the admin role; you are a {actor.role}.</Alert>
      </>
    );
  }
  const accounts = (await listAccounts({ actor })).map((a) => ({ name: a.name, defaultRegion: a.defaultRegion }));
  return (
    <>
      <PageHeader
        title="Adopt existing stack"
        description="Deploy to and watch a load balancer and Auto Scaling groups made by hand or by other tools."
        breadcrumbs={breadcrumbs}
      />
      <AdoptForm accounts={accounts} regions={Object.keys(REGIONS)} discover={discoverAction} adopt={adoptAction} />
    </>
  );
}
