/**
 * Metric math parser: numbers, query ids (which start with a lower-case letter), strings,
 * FUNCTION(args), [lists], + - * / ^, comparisons (> < >= <= == !=), AND/&&, OR/||, NOT/!,
 * and parentheses. Upper-case bare words (REPEAT, LINEAR) are keywords for FILL.
 */

export type Node =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "ref"; id: string }
  | { t: "kw"; name: string }
  | { t: "call"; fn: string; args: Node[] }
  | { t: "list"; items: Node[] }
  | { t: "bin"; op: string; l: Node; r: Node }
  | { t: "unary"; op: "-" | "!"; e: Node };

export class MathError extends Error {}

type Token = { k: "num"; v: number } | { k: "str"; v: string } | { k: "id"; v: string } | { k: "op"; v: string } | { k: "end" };

const OPERATORS = [">=", "<=", "==", "!=", "&&", "||", "+", "-", "*", "/", "^", "(", ")", "[", "]", ",", ">", "<", "!"];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ k: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ k: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const close = src.indexOf(c, i + 1);
      if (close < 0) throw new MathError(`Unterminated string starting at position ${i}`);
      out.push({ k: "str", v: src.slice(i + 1, close) });
      i = close + 1;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new MathError(`Unexpected character '${c}' at position ${i}`);
    out.push({ k: "op", v: op });
    i += op.length;
  }
  out.push({ k: "end" });
  return out;
}

export function parseExpression(src: string): Node {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return (t.k === "op" && t.v === v) || (t.k === "id" && t.v === v && (v === "AND" || v === "OR" || v === "NOT"));
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new MathError(`Expected '${v}'`);
    pos++;
  };

  const binaryLevel =
    (ops: string[], next: () => Node, normalize: (op: string) => string = (o) => o) =>
    (): Node => {
      let left = next();
      for (;;) {
        const op = ops.find(isOp);
        if (!op) return left;
        pos++;
        left = { t: "bin", op: normalize(op), l: left, r: next() };
      }
    };

  const primary = (): Node => {
    const t = peek();
    if (t.k === "num") {
      pos++;
      return { t: "num", v: t.v };
    }
    if (t.k === "str") {
      pos++;
      return { t: "str", v: t.v };
    }
    if (t.k === "op" && t.v === "(") {
      pos++;
      const e = orLevel();
      expect(")");
      return e;
    }
    if (t.k === "op" && t.v === "[") {
      pos++;
      const items: Node[] = [];
      if (!isOp("]")) {
        do items.push(orLevel());
        while (isOp(",") && ++pos);
      }
      expect("]");
      return { t: "list", items };
    }
    if (t.k === "id") {
      pos++;
      if (isOp("(")) {
        pos++;
        const args: Node[] = [];
        if (!isOp(")")) {
          do args.push(orLevel());
          while (isOp(",") && ++pos);
        }
        expect(")");
        return { t: "call", fn: t.v.toUpperCase(), args };
      }
      return /^[a-z]/.test(t.v) ? { t: "ref", id: t.v } : { t: "kw", name: t.v };
    }
    throw new MathError(t.k === "end" ? "Unexpected end of expression" : `Unexpected '${(t as { v: unknown }).v}'`);
  };

  const unary = (): Node => {
    if (isOp("-")) {
      pos++;
      return { t: "unary", op: "-", e: unary() };
    }
    if (isOp("!") || isOp("NOT")) {
      pos++;
      return { t: "unary", op: "!", e: unary() };
    }
    if (isOp("+")) {
      pos++;
      return unary();
    }
    return primary();
  };
  const power = (): Node => {
    const base = unary();
    if (!isOp("^")) return base;
    pos++;
    return { t: "bin", op: "^", l: base, r: power() };
  };
  const mul = binaryLevel(["*", "/"], power);
  const add = binaryLevel(["+", "-"], mul);
  const cmp = binaryLevel([">=", "<=", "==", "!=", ">", "<"], add);
  const andLevel = binaryLevel(["&&", "AND"], cmp, () => "&&");
  const orLevel = binaryLevel(["||", "OR"], andLevel, () => "||");

  const root = orLevel();
  if (peek().k !== "end") throw new MathError(`Unexpected '${(peek() as { v: unknown }).v}' after the end of the expression`);
  return root;
}

/** Query ids referenced by an expression (for dependency order and cycle detection). */
export function referencedIds(node: Node, out = new Set<string>()): Set<string> {
  switch (node.t) {
    case "ref":
      out.add(node.id);
      break;
    case "call":
      node.args.forEach((a) => referencedIds(a, out));
      break;
    case "list":
      node.items.forEach((a) => referencedIds(a, out));
      break;
    case "bin":
      referencedIds(node.l, out);
      referencedIds(node.r, out);
      break;
    case "unary":
      referencedIds(node.e, out);
      break;
  }
  return out;
}
