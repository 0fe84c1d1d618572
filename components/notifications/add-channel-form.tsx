"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";

export interface EventChoice {
  value: string;
  label: string;
}

/** A new webhook or Slack channel: name, URL, and which events (none ticked: all). */
export function AddChannelForm({
  events,
  pending,
  onSubmit,
}: {
  events: EventChoice[];
  pending: boolean;
  onSubmit: (values: { kind: string; name: string; url: string; events: string[] }, done: () => void) => void;
}) {
  const [kind, setKind] = useState("webhook");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [picked, setPicked] = useState<string[]>([]);
  return (
    <form
      className="grid gap-3 rounded-md border border-dashed p-3"
      aria-label="Add a channel"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ kind, name, url, events: picked }, () => {
          setName("");
          setUrl("");
          setPicked([]);
        });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-[10rem_1fr_2fr]">
        <div className="grid gap-1">
          <Label htmlFor="channel-kind">Kind</Label>
          <Select
            id="channel-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            options={[
              { value: "webhook", label: "Webhook (signed)" },
              { value: "slack", label: "Slack incoming webhook" },
            ]}
          />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="channel-name">Name</Label>
          <Input id="channel-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="#deploys" />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="channel-url">URL</Label>
          <Input
            id="channel-url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://hooks.example.com/switchyard"}
          />
        </div>
      </div>
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
        <legend className="mb-1 text-xs font-medium">Events (none ticked: all)</legend>
        {events.map((ev) => (
          <label key={ev.value} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={picked.includes(ev.value)}
              onChange={(e) => setPicked(e.target.checked ? [...picked, ev.value] : picked.filter((p) => p !== ev.value))}
            />
            {ev.label}
          </label>
        ))}
      </fieldset>
      <div>
        <Button type="submit" size="sm" loading={pending}>
          Add channel
        </Button>
      </div>
    </form>
  );
}
