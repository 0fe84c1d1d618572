/**
 * restXml request bodies: XML -> typed input per shape. fast-xml-parser gives a tree of plain
 * objects (repeated elements become arrays); the shape decides what is a list, a number, etc.
 */
import { XMLParser } from "fast-xml-parser";
import { AwsError } from "../core/types.ts";
import type { Model, Shape } from "./model.ts";
import { parseScalar } from "./values.ts";

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
});

/** Parse an XML document; returns the root element's name and content. */
export function parseXmlDocument(xml: string): { rootName: string; root: unknown } {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (err) {
    throw new AwsError("MalformedXML", `The XML you provided was not well-formed: ${(err as Error).message}`);
  }
  const rootName = Object.keys(doc).find((k) => k !== "#text" && !k.startsWith("?"));
  if (!rootName) throw new AwsError("MalformedXML", "The XML you provided has no root element");
  return { rootName, root: doc[rootName] };
}

function asArray(node: unknown): unknown[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

/** The text of a leaf element (fast-xml-parser gives a string, or an object for empty/mixed nodes). */
function textOf(node: unknown): string {
  if (typeof node === "string") return node;
  if (node && typeof node === "object" && "#text" in node) return String((node as Record<string, unknown>)["#text"]);
  return "";
}

export function readXml(model: Model, shape: Shape, node: unknown, where: string): unknown {
  if (node === undefined) return undefined;
  switch (shape.type) {
    case "structure": {
      const element = node && typeof node === "object" ? (node as Record<string, unknown>) : {};
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const memberShape = model.shape(ref.shape);
        const elementName = ref.locationName ?? name;
        const childWhere = where ? `${where}.${name}` : name;
        let v: unknown;
        if (memberShape.type === "list" && (memberShape.flattened || ref.flattened)) {
          const items = element[memberShape.member?.locationName ?? elementName];
          v =
            items === undefined
              ? undefined
              : asArray(items).map((item, i) => readXml(model, model.shape(memberShape.member!.shape), item, `${childWhere}.${i + 1}`));
        } else {
          v = readXml(model, memberShape, element[elementName], childWhere);
        }
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case "list": {
      const itemShape = model.shape(shape.member!.shape);
      const itemName = shape.member!.locationName ?? "member";
      const items = node && typeof node === "object" ? (node as Record<string, unknown>)[itemName] : undefined;
      return asArray(items).map((item, i) => readXml(model, itemShape, item, `${where}.${i + 1}`));
    }
    case "map": {
      const keyName = shape.key!.locationName ?? "key";
      const valueName = shape.value!.locationName ?? "value";
      const valueShape = model.shape(shape.value!.shape);
      const entries = shape.flattened
        ? asArray(node)
        : asArray(node && typeof node === "object" ? (node as Record<string, unknown>).entry : undefined);
      const out: Record<string, unknown> = {};
      for (const entry of entries) {
        const e = entry as Record<string, unknown>;
        out[textOf(e[keyName])] = readXml(model, valueShape, e[valueName], `${where}.${textOf(e[keyName])}`);
      }
      return out;
    }
    default:
      return parseScalar(shape, textOf(node), where);
  }
}
