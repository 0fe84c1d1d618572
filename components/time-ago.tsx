"use client";

import * as React from "react";
import { cn } from "@/lib/utils";

// One shared ticker for every <TimeAgo> on the page.
const TICK_MS = 15_000;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((l) => l()), TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const clientNow = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;
// The server (and the hydrating client) renders the absolute time: no mismatch.
const serverNow = () => null;

const units: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function formatRelative(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  // The shared clock is up to one tick behind, so treat +-30 s as "now".
  if (Math.abs(seconds) < 30) return "just now";
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === "second") {
      return rtf.format(Math.trunc(seconds / size), unit);
    }
  }
  return "just now";
}

/** "2025-03-04 17:05 UTC": deterministic on server and client. */
export function formatAbsolute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export type TimeAgoProps = {
  date: string | number | Date;
  className?: string;
};

/** "6 Dec 2026, 19:27" in the viewer's time zone: day, month name and year, no 06/12 ambiguity. */
export function formatDateTime(date: string | number | Date): string {
  const d = date instanceof Date ? date : new Date(date);
  return d.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
}

/** Relative time ("5 minutes ago"); its title holds the full date in the viewer's time zone once in the browser. */
export function TimeAgo({ date, className }: TimeAgoProps) {
  const value = date instanceof Date ? date : new Date(date);
  const now = React.useSyncExternalStore(subscribe, clientNow, serverNow);
  if (Number.isNaN(value.getTime())) return <span className={className}>—</span>;
  const iso = value.toISOString();
  return (
    <time dateTime={iso} title={now === null ? iso : formatDateTime(value)} className={cn("whitespace-nowrap", className)}>
      {now === null ? formatAbsolute(value) : formatRelative(value, now)}
    </time>
  );
}

/** How long until `until`, as a duration ("54 minutes", "2 h 5 min"): for "warm for another 54 minutes". */
export function Remaining({ until, className }: { until: string | number | Date; className?: string }) {
  const value = until instanceof Date ? until : new Date(until);
  const now = React.useSyncExternalStore(subscribe, clientNow, serverNow);
  const minutes = Math.max(0, Math.round((value.getTime() - (now ?? value.getTime())) / 60_000));
  const text = now === null ? `until ${formatAbsolute(value)}` : formatMinutes(minutes);
  return (
    <time
      dateTime={value.toISOString()}
      title={now === null ? value.toISOString() : formatDateTime(value)}
      className={cn("whitespace-nowrap", className)}
    >
      {text}
    </time>
  );
}

function formatMinutes(m: number): string {
  if (m < 1) return "less than a minute";
  if (m < 60) return m === 1 ? "1 minute" : `${m} minutes`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}
