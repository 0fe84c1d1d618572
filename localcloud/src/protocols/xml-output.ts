/**
 * XML serialization of handler output, walking the output shape (awsQuery, ec2Query and
 * restXml bodies). Element names: the member's locationName, else its name. Lists: a wrapper
 * element holding items named by the list member's locationName (default "member"; EC2 "item"),
 * or, flattened, repeated elements. Maps: <entry><key/><value/></entry>.
 */
import type { Model, Shape } from "./model.ts";
import { escapeXml, scalarText } from "./values.ts";

export type XmlFlavour = "query" | "ec2" | "rest";

export function xmlElement(name: string, inner: string, attrs = ""): string {
  return inner === "" ? `<${name}${attrs}/>` : `<${name}${attrs}>${inner}</${name}>`;
}

/** The members of a structure, serialized (without the structure's own element). */
export function structureXml(
  model: Model,
  shape: Shape,
  value: Record<string, unknown>,
  flavour: XmlFlavour,
  skip?: (member: string) => boolean,
): string {
  if (!value || typeof value !== "object") return "";
  let out = "";
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (skip?.(name)) continue;
    const v = value[name];
    if (v === undefined || v === null) continue;
    const memberShape = model.shape(ref.shape);
    const elementName = ref.locationName ?? name;
    if (memberShape.type === "list" && (memberShape.flattened || ref.flattened)) {
      const itemName = memberShape.member?.locationName ?? elementName;
      for (const item of v as unknown[]) out += valueXml(model, model.shape(memberShape.member!.shape), item, itemName, flavour);
    } else if (memberShape.type === "map" && (memberShape.flattened || ref.flattened)) {
      for (const [k, mv] of Object.entries(v as Record<string, unknown>))
        out += xmlElement(elementName, mapEntryXml(model, memberShape, k, mv, flavour));
    } else {
      out += valueXml(model, memberShape, v, elementName, flavour);
    }
  }
  return out;
}

/** One value as a complete element named `name`. */
export function valueXml(model: Model, shape: Shape, value: unknown, name: string, flavour: XmlFlavour): string {
  switch (shape.type) {
    case "structure":
      return xmlElement(name, structureXml(model, shape, value as Record<string, unknown>, flavour));
    case "list": {
      if (!Array.isArray(value)) throw new Error(`expected an array for <${name}>, got ${typeof value}`);
      const itemShape = model.shape(shape.member!.shape);
      const itemName = shape.member!.locationName ?? (flavour === "ec2" ? "item" : "member");
      return xmlElement(name, value.map((item) => valueXml(model, itemShape, item, itemName, flavour)).join(""));
    }
    case "map": {
      let inner = "";
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        inner += xmlElement("entry", mapEntryXml(model, shape, k, v, flavour));
      return xmlElement(name, inner);
    }
    default:
      return `<${name}>${escapeXml(scalarText(shape, value))}</${name}>`;
  }
}

function mapEntryXml(model: Model, shape: Shape, key: string, value: unknown, flavour: XmlFlavour): string {
  const keyName = shape.key!.locationName ?? "key";
  const valueName = shape.value!.locationName ?? "value";
  return (
    `<${keyName}>${escapeXml(key)}</${keyName}>` +
    (value === undefined || value === null ? "" : valueXml(model, model.shape(shape.value!.shape), value, valueName, flavour))
  );
}
