"use client";

import { useState, useTransition } from "react";
import { Import, RefreshCw } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ListedListener, ListedLoadBalancer, ListedTargetGroup } from "@/server/adopt/inspect.ts";
import type { ActionResult } from "@/server/result.ts";

interface Lists {
  loadBalancers: ListedLoadBalancer[];
  listeners: ListedListener[];
  targetGroups: ListedTargetGroup[];
}

/**
 * "Adopt existing stack": account and region, then the load balancer, its listener, and the two
 * target groups that listener forwards to with each one's Auto Scaling group, every list read
 * from the account. Adopting creates nothing in AWS.
 */
export function AdoptForm({
  accounts,
  regions,
  discover,
  adopt,
}: {
  accounts: Array<{ name: string; defaultRegion: string }>;
  regions: string[];
  discover: (input: unknown) => Promise<ActionResult<Lists>>;
  adopt: (input: unknown) => Promise<ActionResult<{ name: string }>>;
}) {
  const [q, setQ] = useState({
    account: accounts[0]?.name ?? "",
    region: accounts[0]?.defaultRegion ?? "us-east-1",
    tag: "",
    loadBalancerArn: "",
    listenerArn: "",
  });
  const [name, setName] = useState("");
  const [version, setVersion] = useState("");
  const [lists, setLists] = useState<Lists | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const load = (next: typeof q) => {
    setQ(next);
    start(async () => {
      const res = await discover(next);
      if (res.ok) {
        setLists(res.data);
        setErrors({});
        setMessage(null);
      } else {
        setErrors(res.fields ?? {});
        setMessage(res.message);
      }
    });
  };
  const submit = () =>
    start(async () => {
      const res = await adopt({
        name,
        account: q.account,
        region: q.region,
        loadBalancerArn: q.loadBalancerArn,
        listenerArn: q.listenerArn,
        targetGroupArns: (lists?.targetGroups ?? []).map((t) => t.arn),
        version,
      });
      if (res && !res.ok) {
        setErrors(res.fields ?? {});
        setMessage(res.message);
      }
    });
  const fieldError = (k: string) => errors[k];

  return (
    <Card>
      <CardHeader>
        <CardTitle>Adopt existing stack</CardTitle>
        <CardDescription>
          Point Switchyard at an ALB listener that forwards to two target groups, each with its Auto Scaling group on a launch template.
          Nothing is created: the environment records what is there.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          aria-label="Adopt existing stack"
          className="grid max-w-3xl gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {message ? <Alert variant="destructive">{message}</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-3">
            <FormField label="AWS account" htmlFor="adopt-account" error={fieldError("account")}>
              <Select
                id="adopt-account"
                value={q.account}
                onChange={(e) => setQ({ ...q, account: e.target.value })}
                options={accounts.map((a) => ({ value: a.name, label: a.name }))}
              />
            </FormField>
            <FormField label="Region" htmlFor="adopt-region" error={fieldError("region")}>
              <Select
                id="adopt-region"
                value={q.region}
                onChange={(e) => setQ({ ...q, region: e.target.value })}
                options={regions.map((r) => ({ value: r, label: r }))}
              />
            </FormField>
            <FormField label="Only load balancers tagged" htmlFor="adopt-tag" hint="key=value, optional" error={fieldError("tag")}>
              <Input id="adopt-tag" value={q.tag} placeholder="team=shop" onChange={(e) => setQ({ ...q, tag: e.target.value })} />
            </FormField>
          </div>
          <div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              loading={pending}
              onClick={() => load({ ...q, loadBalancerArn: "", listenerArn: "" })}
            >
              <RefreshCw aria-hidden /> Read load balancers
            </Button>
          </div>
          {lists ? (
            <FormField label="Load balancer" htmlFor="adopt-lb" error={fieldError("loadBalancerArn")}>
              <Select
                id="adopt-lb"
                value={q.loadBalancerArn}
                placeholder={lists.loadBalancers.length ? "Choose a load balancer" : "No application load balancer here"}
                onChange={(e) => load({ ...q, loadBalancerArn: e.target.value, listenerArn: "" })}
                options={lists.loadBalancers.map((l) => ({ value: l.arn, label: `${l.name} (${l.dnsName})` }))}
              />
            </FormField>
          ) : null}
          {lists && q.loadBalancerArn ? (
            <FormField label="Listener" htmlFor="adopt-listener" error={fieldError("listenerArn")}>
              <Select
                id="adopt-listener"
                value={q.listenerArn}
                placeholder="Choose a listener"
                onChange={(e) => load({ ...q, listenerArn: e.target.value })}
                options={lists.listeners.map((l) => ({
                  value: l.arn,
                  label: `${l.protocol}:${l.port} forwards to ${l.forwardsTo.length} target group${l.forwardsTo.length === 1 ? "" : "s"}`,
                }))}
              />
            </FormField>
          ) : null}
          {lists && q.listenerArn ? (
            <div className="grid gap-2" data-testid="adopt-target-groups">
              <p className="text-sm font-medium">Target groups and their Auto Scaling groups</p>
              {lists.targetGroups.map((t) => (
                <div key={t.arn} className="rounded-md border p-2 text-sm">
                  <span className="font-medium">{t.name}</span> (weight {t.weight}):{" "}
                  {t.groups.length === 0
                    ? "no Auto Scaling group"
                    : t.groups
                        .map(
                          (g) =>
                            `${g.name}, ${g.inService} in service, ${g.launchTemplate ? `launch template ${g.launchTemplate.name}` : g.launchesFrom}`,
                        )
                        .join("; ")}
                </div>
              ))}
              {fieldError("targetGroupArns") ? <Alert variant="destructive">{fieldError("targetGroupArns")?.[0]}</Alert> : null}
            </div>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label="Environment name" htmlFor="adopt-name" error={fieldError("name")}>
              <Input id="adopt-name" value={name} onChange={(e) => setName(e.target.value)} />
            </FormField>
            <FormField
              label="Version running now"
              htmlFor="adopt-version"
              hint="Read from the launch template when it says (APP_VERSION=); else enter it"
              error={fieldError("version")}
            >
              <Input id="adopt-version" value={version} onChange={(e) => setVersion(e.target.value)} />
            </FormField>
          </div>
          <div>
            <Button type="submit" loading={pending} disabled={!q.listenerArn}>
              <Import aria-hidden /> Adopt
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
