/**
 * Typed access to the trimmed botocore models in localcloud/models/<signing-name>.json.
 * Only the parts of the botocore format the codecs use are typed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServiceName } from "../core/types.ts";

export interface MemberRef {
  shape: string;
  locationName?: string;
  /** EC2 query: the request parameter name (else locationName capitalised, else the member name). */
  queryName?: string;
  /** restXml: "uri" | "querystring" | "header" | "headers" | "statusCode"; body when absent. */
  location?: string;
  flattened?: boolean;
  xmlNamespace?: { uri: string };
  jsonName?: string;
  timestampFormat?: string;
}

export interface Shape {
  type: "structure" | "list" | "map" | "string" | "integer" | "long" | "double" | "float" | "boolean" | "timestamp" | "blob";
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  flattened?: boolean;
  locationName?: string;
  payload?: string;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: boolean;
  timestampFormat?: string;
  enum?: string[];
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string; locationName?: string; xmlNamespace?: { uri: string } };
  output?: { shape: string; resultWrapper?: string; locationName?: string };
  errors?: Array<{ shape: string }>;
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: string;
    xmlNamespace?: string;
    uid: string;
    targetPrefix?: string;
    jsonVersion?: string;
    awsQueryCompatible?: object;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const MODELS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "models");
const cache = new Map<ServiceName, Model>();

/** A loaded model plus the lookups every codec needs. */
export class Model {
  /** Error shapes by their wire code and by their shape name. */
  private readonly errorsByCode = new Map<string, { shapeName: string; code: string; status?: number }>();

  constructor(
    readonly service: ServiceName,
    readonly raw: ServiceModel,
  ) {
    for (const [name, shape] of Object.entries(raw.shapes)) {
      if (!shape.exception && !shape.error) continue;
      const entry = { shapeName: name, code: shape.error?.code ?? name, status: shape.error?.httpStatusCode };
      this.errorsByCode.set(entry.code, entry);
      this.errorsByCode.set(name, entry);
    }
  }

  get metadata() {
    return this.raw.metadata;
  }

  operation(name: string): Operation | undefined {
    return Object.hasOwn(this.raw.operations, name) ? this.raw.operations[name] : undefined;
  }

  operationNames(): string[] {
    return Object.keys(this.raw.operations);
  }

  shape(name: string): Shape {
    const shape = this.raw.shapes[name];
    if (!shape) throw new Error(`${this.service} model: unknown shape ${name}`);
    return shape;
  }

  /** The model's error entry for a code or shape name (e.g. "AlreadyExists" or "AlreadyExistsFault"). */
  errorFor(codeOrShapeName: string): { shapeName: string; code: string; status?: number } | undefined {
    return this.errorsByCode.get(codeOrShapeName);
  }
}

export function loadModel(service: ServiceName): Model {
  let model = cache.get(service);
  if (!model) {
    const raw = JSON.parse(readFileSync(path.join(MODELS_DIR, `${service}.json`), "utf8")) as ServiceModel;
    model = new Model(service, raw);
    cache.set(service, model);
  }
  return model;
}
