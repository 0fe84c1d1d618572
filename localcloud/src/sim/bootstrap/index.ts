/**
 * Instance bootstrap: an instance's app comes up only if its network path and its role allow
 * what its user data needs (needs.ts reads the script, evaluate.ts checks each need, console.ts
 * writes the cloud-init log that GetConsoleOutput returns).
 *
 * cloud-init runs user data once per instance, when it first boots: so the outcome is decided
 * the first time the data plane asks about a running instance, written to the console, and kept
 * (in <dataDir>/localcloud/bootstrap.json, so a restart neither re-runs nor forgets it). Fixing
 * the network afterwards does not rescue an instance that failed, as on AWS: replace it.
 *
 * The instance profile RunInstances named is remembered here at launch (EC2's record does not
 * keep it), through withInstanceProfileCapture around EC2's RunInstances handler.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { asWireHandler, type CloudApi, type Handler, type RequestContext, type ServiceModule } from "../../core/types.ts";
import { appendConsoleOutput } from "../../services/ec2/console.ts";
import { ec2State, type InstanceRecord } from "../../services/ec2/state.ts";
import { renderConsole } from "./console.ts";
import { evaluateBootstrap, type BootstrapResult } from "./evaluate.ts";

export type BootstrapOutcome = "ok" | "failed";

interface Persisted {
  outcomes: Record<string, BootstrapOutcome>;
  profiles: Record<string, string>;
}

export class BootstrapTracker {
  private outcomes = new Map<string, BootstrapOutcome>();
  private profiles = new Map<string, string>();
  private readonly file?: string;
  /** The last evaluation per instance this process made (tests and the admin side read it). */
  readonly results = new Map<string, BootstrapResult>();

  constructor(
    private readonly cloud: CloudApi,
    dataDir?: string,
  ) {
    this.file = dataDir ? path.join(dataDir, "localcloud", "bootstrap.json") : undefined;
    const saved = this.load();
    for (const [id, o] of Object.entries(saved.outcomes)) this.outcomes.set(id, o);
    for (const [id, p] of Object.entries(saved.profiles)) this.profiles.set(id, p);
  }

  /** RunInstances named this profile for these instances. */
  rememberProfile(instanceIds: string[], profile: string): void {
    for (const id of instanceIds) this.profiles.set(id, profile);
    this.save();
  }

  /** Known outcome, without deciding one. */
  known(instanceId: string): BootstrapOutcome | undefined {
    return this.outcomes.get(instanceId);
  }

  /** The bootstrap outcome of a running instance: decided (and its console written) on first ask. */
  outcome(instance: InstanceRecord): BootstrapOutcome {
    const known = this.outcomes.get(instance.InstanceId);
    if (known) return known;
    const result = evaluateBootstrap(this.cloud, instance, this.profiles.get(instance.InstanceId));
    const runningAt = instance.RunningSince ?? instance.LaunchTime;
    // No user data, nothing to run: the console is left to whoever else writes it.
    if (instance.UserData) appendConsoleOutput(this.cloud, instance.InstanceId, renderConsole(result, runningAt, instance.region).text);
    const outcome: BootstrapOutcome = result.ok ? "ok" : "failed";
    this.outcomes.set(instance.InstanceId, outcome);
    this.results.set(instance.InstanceId, result);
    this.prune();
    this.save();
    return outcome;
  }

  /** Forget instances EC2 no longer knows (terminated ones vanish after an hour; a reset drops all). */
  private prune(): void {
    const instances = ec2State(this.cloud).instances;
    for (const id of this.outcomes.keys()) if (!instances[id]) this.outcomes.delete(id);
    for (const id of this.profiles.keys()) if (!instances[id]) this.profiles.delete(id);
    for (const id of this.results.keys()) if (!instances[id]) this.results.delete(id);
  }

  private load(): Persisted {
    const empty: Persisted = { outcomes: {}, profiles: {} };
    if (!this.file) return empty;
    try {
      const parsed = JSON.parse(readFileSync(this.file, "utf8")) as Partial<Persisted>;
      return { outcomes: parsed.outcomes ?? {}, profiles: parsed.profiles ?? {} };
    } catch {
      return empty;
    }
  }

  private save(): void {
    if (!this.file) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ outcomes: Object.fromEntries(this.outcomes), profiles: Object.fromEntries(this.profiles) }));
      renameSync(tmp, this.file);
    } catch (err) {
      console.error("localcloud: could not save bootstrap outcomes:", err);
    }
  }
}

const trackers = new WeakMap<CloudApi, BootstrapTracker>();

/** The cloud's tracker; `dataDir` (given by the simulation at start) makes outcomes survive a restart. */
export function bootstrapOf(cloud: CloudApi, dataDir?: string): BootstrapTracker {
  let t = trackers.get(cloud);
  if (!t) trackers.set(cloud, (t = new BootstrapTracker(cloud, dataDir)));
  return t;
}

interface RunInstancesInput {
  IamInstanceProfile?: { Arn?: string; Name?: string };
}

/** EC2's module with RunInstances remembering the instance profile it was given. */
export function withInstanceProfileCapture(ec2: ServiceModule): ServiceModule {
  const run: Handler | undefined = ec2.handlers.RunInstances;
  if (!run) return ec2;
  const wrapped: Handler = async (input: RunInstancesInput, ctx: RequestContext) => {
    const output: unknown = await asWireHandler(run)(input, ctx);
    const profile = input.IamInstanceProfile?.Arn ?? input.IamInstanceProfile?.Name;
    const instances = (output as { Instances?: Array<{ InstanceId?: string }> } | undefined)?.Instances ?? [];
    if (profile)
      bootstrapOf(ctx.cloud).rememberProfile(
        instances.flatMap((i) => (i.InstanceId ? [i.InstanceId] : [])),
        profile,
      );
    return output;
  };
  return { ...ec2, handlers: { ...ec2.handlers, RunInstances: wrapped } };
}

export { evaluateBootstrap, instanceProfileOf, type BootstrapResult, type NeedOutcome } from "./evaluate.ts";
export { parseNeeds, type Need } from "./needs.ts";
