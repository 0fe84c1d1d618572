/**
 * Just enough shell to read a user-data script the way its commands will run: continuation
 * lines joined, comments dropped, `$(...)` and backquote substitutions read as commands of their
 * own, lists split on `&&`, `||`, `;`, `|`, `&`, compound-command keywords and wrappers (`if`,
 * `sudo`, `nohup`, a function definition's `name() {`...) skipped, words unquoted. It does not
 * run anything, expand globs or follow control flow: every command written in the script is
 * taken as one that will run (a script's commands are there to be run).
 */

export interface ScriptLine {
  /** 1-based line of the user data where the (joined) line starts. */
  line: number;
  /** As written, continuations joined, without a trailing comment. */
  text: string;
  /** Simple commands on the line (substitutions first, as the shell runs them), each as words. */
  commands: string[][];
  /** Variables the line sets (a value holding a substitution keeps `$__SUBSTITUTION`: unknown). */
  assigns: Array<[string, string]>;
}

/** Words that start or continue a compound command, or run the command that follows them. */
const PREFIX_WORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "!",
  "{",
  "}",
  "(",
  ")",
  "fi",
  "done",
  "time",
  "sudo",
  "nohup",
  "exec",
  "command",
  "builtin",
  "xargs",
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Drop an unquoted `#` comment (a `#` at a word start), keeping quoted text intact. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\") i++;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line;
}

/** `$(...)` / backquote bodies (recursively, innermost first) and the line with them blanked. */
function extractSubstitutions(text: string, out: string[]): string {
  let result = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      result += c;
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "\\") {
      result += c + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "$" && text[i + 1] === "(" && text[i + 2] !== "(") {
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === "(") depth++;
        else if (text[j] === ")") depth--;
      }
      const body = text.slice(i + 2, j - 1);
      out.push(extractSubstitutions(body, out));
      // The substitution's value is unknown here: it reads as an unresolved variable.
      result += "$__SUBSTITUTION";
      i = j - 1;
      continue;
    }
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i) {
        out.push(extractSubstitutions(text.slice(i + 1, end), out));
        result += "$__SUBSTITUTION";
        i = end;
        continue;
      }
    }
    if (c === '"') quote = quote === '"' ? undefined : (quote ?? '"');
    else if (c === "'" && !quote) quote = "'";
    result += c;
  }
  return result;
}

/** Split a command list into simple commands at unquoted `&&`, `||`, `;`, `|`, `&`. */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') {
        current += c + (text[i + 1] ?? "");
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
      current += c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    if (c === "\\") {
      current += c + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === ";" || c === "|" || c === "&") {
      // `2>&1` and `>&2` are redirections, not list operators.
      if (c === "&" && (text[i - 1] === ">" || text[i + 1] === ">")) {
        current += c;
        continue;
      }
      parts.push(current);
      current = "";
      if (text[i + 1] === c) i++;
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Words of a simple command, quotes removed (variables are left as written). */
export function words(text: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) word = (word ?? "") + text[++i];
      else word = (word ?? "") + c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < text.length) word = (word ?? "") + text[++i];
    else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else word = (word ?? "") + c;
  }
  if (word !== undefined) out.push(word);
  return out;
}

/** The command's words without the keywords, wrappers, redirections and assignments in front of it. */
function commandWords(all: string[]): string[] {
  let i = 0;
  for (; i < all.length; i++) {
    const w = all[i];
    if (PREFIX_WORDS.has(w) || /^[A-Za-z_][\w-]*\(\)$/.test(w) || /^\d*[<>]/.test(w)) continue;
    if (w === "env") continue;
    if (ASSIGNMENT.test(w) && i + 1 < all.length) continue;
    break;
  }
  return all.slice(i).filter((w) => !/^\d*[<>]&?\d*$/.test(w));
}

/** Script lines with their simple commands. Comment-only lines are kept (directives live there) with no commands. */
export function parseScript(userData: string): ScriptLine[] {
  const raw = userData.split(/\r?\n/);
  const out: ScriptLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let text = raw[i];
    while (text.endsWith("\\") && i + 1 < raw.length) text = `${text.slice(0, -1).trimEnd()} ${raw[++i].trimStart()}`;
    if (!text.trim()) continue;
    if (text.trimStart().startsWith("#")) {
      out.push({ line: start + 1, text: text.trim(), commands: [], assigns: [] });
      continue;
    }
    const code = stripComment(text).trim();
    const substitutions: string[] = [];
    const outer = extractSubstitutions(code, substitutions);
    const commands = [...substitutions, outer]
      .flatMap(splitList)
      .map((c) => commandWords(words(c)))
      .filter((w) => w.length > 0);
    const assigns = splitList(outer).flatMap(assignmentsOf);
    out.push({ line: start + 1, text: code, commands, assigns });
  }
  return out;
}

/** `NAME=value` assignments a command list makes (plain `X=1`, `export A=1 B=2`), for resolving `$NAME` later. */
function assignmentsOf(text: string): Array<[string, string]> {
  const all = words(text);
  const out: Array<[string, string]> = [];
  const from = all[0] === "export" || all[0] === "declare" || all[0] === "readonly" ? 1 : 0;
  for (const w of all.slice(from)) {
    if (!ASSIGNMENT.test(w)) break;
    const eq = w.indexOf("=");
    out.push([w.slice(0, eq), w.slice(eq + 1)]);
  }
  return out;
}
