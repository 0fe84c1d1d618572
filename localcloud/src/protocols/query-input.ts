/**
 * Request parsing for the query protocols (awsQuery and ec2Query): flat `A.b.1.C=v` parameters
 * -> a plain input object keyed by model member names, walking the input shape.
 *
 * Parameter names follow botocore's serializers:
 *   awsQuery  member: locationName ?? name; list: `<name>.<member locationName ?? "member">.N`
 *             (flattened: `<name>.N`, or the member's locationName in place of <name>);
 *             map: `<name>.entry.N.<key|value>` (flattened: `<name>.N.key`); empty list `Name=`.
 *   ec2Query  member: queryName ?? capitalised locationName ?? name; lists always `<name>.N`.
 */
import type { Model, Shape } from "./model.ts";
import { parseScalar } from "./values.ts";

/** Parameters as a tree split on ".": node.value is the text at that exact key. */
interface ParamNode {
  value?: string;
  children: Map<string, ParamNode>;
}

export function buildParamTree(params: Iterable<[string, string]>): ParamNode {
  const root: ParamNode = { children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split(".")) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { children: new Map() }));
      node = next;
    }
    node.value = value;
  }
  return root;
}

export type QueryFlavour = "query" | "ec2";

export function parseQueryInput(
  model: Model,
  shapeName: string,
  params: Iterable<[string, string]>,
  flavour: QueryFlavour,
): Record<string, unknown> {
  const tree = buildParamTree(params);
  const shape = model.shape(shapeName);
  return (readStructure(model, shape, tree, flavour, "") ?? {}) as Record<string, unknown>;
}

function memberWireName(name: string, ref: { locationName?: string; queryName?: string }, flavour: QueryFlavour): string {
  if (flavour === "ec2") {
    if (ref.queryName) return ref.queryName;
    if (ref.locationName) return ref.locationName[0].toUpperCase() + ref.locationName.slice(1);
    return name;
  }
  return ref.locationName ?? name;
}

function readStructure(
  model: Model,
  shape: Shape,
  node: ParamNode,
  flavour: QueryFlavour,
  path: string,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const memberShape = model.shape(ref.shape);
    const wire = memberWireName(name, ref, flavour);
    const where = path ? `${path}.${wire}` : wire;
    let value: unknown;
    if (
      memberShape.type === "list" &&
      flavour === "query" &&
      (memberShape.flattened || ref.flattened) &&
      memberShape.member?.locationName
    ) {
      // A flattened list whose items are named replaces this member's own name with that name.
      value = readValue(model, memberShape, node.children.get(memberShape.member.locationName), flavour, where, true);
    } else {
      value = readValue(model, memberShape, node.children.get(wire), flavour, where, false);
    }
    if (value !== undefined) {
      out[name] = value;
      any = true;
    }
  }
  return any || node.value !== undefined ? out : undefined;
}

function readValue(
  model: Model,
  shape: Shape,
  node: ParamNode | undefined,
  flavour: QueryFlavour,
  where: string,
  itemsHere: boolean,
): unknown {
  if (!node) return undefined;
  switch (shape.type) {
    case "structure":
      return readStructure(model, shape, node, flavour, where);
    case "list":
      return readList(model, shape, node, flavour, where, itemsHere);
    case "map":
      return readMap(model, shape, node, flavour, where);
    default:
      return node.value === undefined ? undefined : parseScalar(shape, node.value, where);
  }
}

/** Children named 1..N in numeric order (gaps skipped, as AWS does). */
function indexed(node: ParamNode): Array<[number, ParamNode]> {
  return [...node.children.entries()]
    .filter(([k]) => /^\d+$/.test(k))
    .map(([k, v]) => [Number(k), v] as [number, ParamNode])
    .sort((a, b) => a[0] - b[0]);
}

function readList(
  model: Model,
  shape: Shape,
  node: ParamNode,
  flavour: QueryFlavour,
  where: string,
  itemsHere: boolean,
): unknown[] | undefined {
  const itemShape = model.shape(shape.member!.shape);
  let itemsNode: ParamNode | undefined = node;
  if (flavour === "query" && !itemsHere && !shape.flattened) itemsNode = node.children.get(shape.member!.locationName ?? "member");
  // `Name=` with no items is how awsQuery sends an empty list.
  if (!itemsNode) return node.value !== undefined ? [] : undefined;
  const items = indexed(itemsNode).map(([i, child]) => readValue(model, itemShape, child, flavour, `${where}.${i}`, false));
  return items.filter((v) => v !== undefined);
}

function readMap(model: Model, shape: Shape, node: ParamNode, flavour: QueryFlavour, where: string): Record<string, unknown> | undefined {
  const entriesNode = shape.flattened || flavour === "ec2" ? node : node.children.get("entry");
  if (!entriesNode) return node.value !== undefined ? {} : undefined;
  const keyName = shape.key!.locationName ?? "key";
  const valueName = shape.value!.locationName ?? "value";
  const valueShape = model.shape(shape.value!.shape);
  const out: Record<string, unknown> = {};
  for (const [i, entry] of indexed(entriesNode)) {
    const key = entry.children.get(keyName)?.value;
    if (key === undefined) continue;
    out[key] = readValue(model, valueShape, entry.children.get(valueName), flavour, `${where}.${i}`, false);
  }
  return out;
}
