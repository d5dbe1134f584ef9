import { Accessor, Node, TemplatePart } from "./ast";

/** An expression the parser cannot read; the message says where. */
export class HclSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HclSyntaxError";
  }
}

const BINARY_PRECEDENCE: ReadonlyArray<readonly string[]> = [
  ["||"],
  ["&&"],
  ["==", "!="],
  [">=", "<=", ">", "<"],
  ["+", "-"],
  ["*", "/", "%"],
];
const IDENT = /[A-Za-z_][\w-]*/y;
const NUMBER = /\d+(\.\d+)?([eE][+-]?\d+)?/y;
const SPECIAL = /[$%\\"]/g;

/**
 * Parses a Terraform string as Terraform reads it: a template whose
 * `${...}` and `%{...}` parts are HCL expressions and directives. The string
 * is a JSON-level string (hcl2json and `.tf.json` both give these), so its
 * literal text has no backslash escapes of its own; quoted strings inside
 * expressions do.
 */
export function parseTemplate(text: string): TemplatePart[] {
  const parser = new Parser(text);
  const parts = parser.template(undefined, false);
  if (parser.pos < text.length) throw parser.error("unexpected text");
  return parts;
}

/** Parses one HCL expression (a `--var` value, a tfvars value written as HCL). */
export function parseExpression(text: string): Node {
  const parser = new Parser(text);
  const node = parser.expression();
  parser.space();
  if (parser.pos < text.length) throw parser.error("unexpected text after the expression");
  return node;
}

type Directive =
  | { kind: "if"; c: Node }
  | { kind: "else" }
  | { kind: "endif" }
  | { kind: "for"; keyVar?: string; valueVar: string; collection: Node }
  | { kind: "endfor" };

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  error(message: string): HclSyntaxError {
    return new HclSyntaxError(
      `${message} at offset ${this.pos} of ${JSON.stringify(this.src.length > 80 ? this.src.slice(0, 77) + "..." : this.src)}`,
    );
  }

  /** Template parts up to `end` (a closing quote) or the end of the text, or up to a directive a caller waits for. */
  template(end: '"' | undefined, escapes: boolean, heredocEnd?: number): TemplatePart[] {
    const root: TemplatePart[] = [];
    // A stack of open directives; parts go into the innermost.
    type Frame = { directive: Directive; then: TemplatePart[]; else?: TemplatePart[] };
    const stack: Frame[] = [];
    const target = () => {
      const top = stack[stack.length - 1];
      if (!top) return root;
      return top.else ?? top.then;
    };
    let text = "";
    let stripNext = false;
    const flush = (stripTrailing: boolean) => {
      if (stripTrailing) text = text.replace(/\s+$/, "");
      if (text) target().push(text);
      text = "";
    };
    const limit = heredocEnd ?? this.src.length;
    while (this.pos < limit) {
      const c = this.src[this.pos];
      if (end && c === end) break;
      if (c === "\\" && escapes) {
        text += this.escape();
        continue;
      }
      const next = this.src[this.pos + 1];
      if ((c === "$" || c === "%") && next === "{") {
        this.pos += 2;
        const stripBefore = this.src[this.pos] === "~";
        if (stripBefore) this.pos++;
        flush(stripBefore);
        if (c === "$") {
          const x = this.expression();
          target().push({ k: "interp", x });
        } else {
          const directive = this.directive();
          if (directive.kind === "if" || directive.kind === "for") stack.push({ directive, then: [] });
          else if (directive.kind === "else") {
            const top = stack[stack.length - 1];
            if (!top || top.directive.kind !== "if" || top.else) throw this.error("%{else} without %{if}");
            top.else = [];
          } else {
            const top = stack.pop();
            const opening = directive.kind === "endif" ? "if" : "for";
            if (!top || top.directive.kind !== opening) throw this.error(`%{${directive.kind}} without %{${opening}}`);
            const d = top.directive;
            target().push(
              d.kind === "if"
                ? { k: "if", c: d.c, then: top.then, else: top.else ?? [] }
                : {
                    k: "tfor",
                    keyVar: (d as { keyVar?: string }).keyVar,
                    valueVar: (d as { valueVar: string }).valueVar,
                    collection: (d as { collection: Node }).collection,
                    body: top.then,
                  },
            );
          }
        }
        this.space();
        if (this.src[this.pos] === "~") {
          this.pos++;
          stripNext = true;
        }
        if (this.src[this.pos] !== "}") throw this.error("expected '}'");
        this.pos++;
        continue;
      }
      if ((c === "$" && next === "$" && this.src[this.pos + 2] === "{") || (c === "%" && next === "%" && this.src[this.pos + 2] === "{")) {
        text += c + "{";
        this.pos += 3;
        continue;
      }
      if (stripNext) {
        if (/\s/.test(c)) {
          this.pos++;
          continue;
        }
        stripNext = false;
      }
      // Plain text up to the next character that may start something: one slice, not one character at a time.
      SPECIAL.lastIndex = this.pos + 1;
      const found = SPECIAL.exec(this.src);
      const stop = Math.min(found ? found.index : limit, limit);
      text += this.src.slice(this.pos, stop);
      this.pos = stop;
    }
    flush(false);
    if (stack.length > 0) throw this.error(`%{${stack[stack.length - 1].directive.kind}} is not closed`);
    return root;
  }

  private directive(): Directive {
    this.space();
    const word = this.ident();
    if (word === "if") return { kind: "if", c: this.expression() };
    if (word === "else" || word === "endif" || word === "endfor") return { kind: word };
    if (word === "for") {
      const { keyVar, valueVar } = this.forVars();
      return { kind: "for", keyVar, valueVar, collection: this.expression() };
    }
    throw this.error(`unknown template directive '${word}'`);
  }

  private escape(): string {
    const c = this.src[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "r":
        return "\r";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "u": {
        const hex = this.src.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error("bad \\u escape");
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      case "U": {
        const hex = this.src.slice(this.pos, this.pos + 8);
        if (!/^[0-9a-fA-F]{8}$/.test(hex)) throw this.error("bad \\U escape");
        this.pos += 8;
        return String.fromCodePoint(parseInt(hex, 16));
      }
      default:
        throw this.error(`unknown escape '\\${c}'`);
    }
  }

  /** Skips white space and comments. */
  space(): void {
    const src = this.src;
    for (;;) {
      const c = src[this.pos];
      if (c === " " || c === "\n" || c === "\t" || c === "\r") this.pos++;
      else if (c === "#" || (c === "/" && src[this.pos + 1] === "/")) {
        const nl = src.indexOf("\n", this.pos);
        this.pos = nl < 0 ? src.length : nl + 1;
      } else if (c === "/" && src[this.pos + 1] === "*") {
        const close = src.indexOf("*/", this.pos + 2);
        if (close < 0) throw this.error("unclosed comment");
        this.pos = close + 2;
      } else return;
    }
  }

  private peek(token: string): boolean {
    this.space();
    return this.src.startsWith(token, this.pos);
  }

  private eat(token: string): boolean {
    if (!this.peek(token)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw this.error(`expected '${token}'`);
  }

  private ident(): string {
    this.space();
    IDENT.lastIndex = this.pos;
    const match = IDENT.exec(this.src);
    if (!match) throw this.error("expected a name");
    this.pos += match[0].length;
    return match[0];
  }

  private identAhead(): string | undefined {
    this.space();
    IDENT.lastIndex = this.pos;
    return IDENT.exec(this.src)?.[0];
  }

  expression(): Node {
    const c = this.binary(0);
    if (this.peek("?")) {
      this.pos++;
      const t = this.expression();
      this.expect(":");
      const f = this.expression();
      return { k: "cond", c, t, f };
    }
    return c;
  }

  private binary(level: number): Node {
    if (level === BINARY_PRECEDENCE.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.space();
      const op = BINARY_PRECEDENCE[level].find(
        (o) =>
          this.src.startsWith(o, this.pos) &&
          !(o === ">" && this.src[this.pos + 1] === "=") &&
          !(o === "<" && this.src[this.pos + 1] === "=") &&
          !(o === "=" && this.src[this.pos + 1] === ">"),
      );
      // `=>` belongs to for expressions, `==` is an operator.
      if (!op) return left;
      this.pos += op.length;
      left = { k: "binary", op, l: left, r: this.binary(level + 1) };
    }
  }

  private unary(): Node {
    if (this.peek("!") && this.src[this.pos + 1] !== "=") {
      this.pos++;
      return { k: "unary", op: "!", x: this.unary() };
    }
    if (this.peek("-")) {
      this.pos++;
      return { k: "unary", op: "-", x: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    for (;;) {
      this.space();
      const c = this.src[this.pos];
      if (c === "." && this.src[this.pos + 1] === "*") {
        this.pos += 2;
        return { k: "splat", obj: node, ops: this.accessors(true) };
      }
      if (c === "[" && /^\[\s*\*\s*\]/.test(this.src.slice(this.pos, this.pos + 8))) {
        this.pos = this.src.indexOf("]", this.pos) + 1;
        return { k: "splat", obj: node, ops: this.accessors(false) };
      }
      if (c === ".") {
        this.pos++;
        this.space();
        NUMBER.lastIndex = this.pos;
        const digits = /\d/.test(this.src[this.pos] ?? "") ? /\d+/y : undefined;
        if (digits) {
          // Legacy index syntax: `aws_instance.web.0.id`.
          digits.lastIndex = this.pos;
          const m = digits.exec(this.src)!;
          this.pos += m[0].length;
          node = { k: "index", obj: node, key: { k: "lit", v: Number(m[0]) } };
        } else node = { k: "attr", obj: node, name: this.ident() };
        continue;
      }
      if (c === "[") {
        this.pos++;
        const key = this.expression();
        this.expect("]");
        node = { k: "index", obj: node, key };
        continue;
      }
      return node;
    }
  }

  /** The attribute and index steps after a splat, applied to each element. */
  private accessors(legacy: boolean): Accessor[] {
    const ops: Accessor[] = [];
    for (;;) {
      this.space();
      const c = this.src[this.pos];
      if (c === "." && this.src[this.pos + 1] !== "*") {
        this.pos++;
        ops.push({ attr: this.ident() });
      } else if (c === "[" && !legacy) {
        this.pos++;
        const index = this.expression();
        this.expect("]");
        ops.push({ index });
      } else return ops;
    }
  }

  private primary(): Node {
    this.space();
    const c = this.src[this.pos];
    if (c === undefined) throw this.error("unexpected end of expression");
    if (c === "(") {
      this.pos++;
      const x = this.expression();
      this.expect(")");
      return { k: "paren", x };
    }
    if (c === '"') {
      this.pos++;
      const parts = this.template('"', true);
      if (this.src[this.pos] !== '"') throw this.error("unclosed string");
      this.pos++;
      return literalTemplate(parts);
    }
    if (c === "<" && this.src[this.pos + 1] === "<") return this.heredoc();
    if (/\d/.test(c)) {
      NUMBER.lastIndex = this.pos;
      const m = NUMBER.exec(this.src)!;
      this.pos += m[0].length;
      return { k: "lit", v: Number(m[0]) };
    }
    if (c === "[") return this.tuple();
    if (c === "{") return this.object();
    const name = this.ident();
    if (name === "true" || name === "false") return { k: "lit", v: name === "true" };
    if (name === "null") return { k: "lit", v: null };
    if (this.peek("(")) {
      this.pos++;
      const args: Node[] = [];
      let expand = false;
      while (!this.eat(")")) {
        args.push(this.expression());
        if (this.eat("...")) expand = true;
        if (!this.eat(",") && !this.peek(")")) throw this.error(`expected ',' or ')' in the arguments of ${name}`);
      }
      return { k: "call", name: name.replace(/^provider::[\w-]+::/, ""), args, expand };
    }
    if (this.src.startsWith("::", this.pos)) {
      // provider::aws::arn_parse(...): a provider-defined function.
      let full = name;
      while (this.src.startsWith("::", this.pos)) {
        this.pos += 2;
        full += "::" + this.ident();
      }
      this.expect("(");
      const args: Node[] = [];
      while (!this.eat(")")) {
        args.push(this.expression());
        if (!this.eat(",") && !this.peek(")")) throw this.error(`expected ',' or ')' in the arguments of ${full}`);
      }
      return { k: "call", name: full, args, expand: false };
    }
    return { k: "name", name };
  }

  private heredoc(): Node {
    this.pos += 2;
    const indent = this.src[this.pos] === "-";
    if (indent) this.pos++;
    const marker = this.ident();
    const nl = this.src.indexOf("\n", this.pos);
    if (nl < 0) throw this.error("heredoc without a body");
    const start = nl + 1;
    const close = new RegExp(`^[ \\t]*${marker}[ \\t]*$`, "m");
    const rest = this.src.slice(start);
    const m = close.exec(rest);
    if (!m) throw this.error(`heredoc ${marker} is not closed`);
    let body = rest.slice(0, m.index);
    if (indent) {
      const lines = body.split("\n");
      const widths = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
      const strip = widths.length ? Math.min(...widths) : 0;
      body = lines.map((l) => l.slice(strip)).join("\n");
    }
    this.pos = start + m.index + m[0].length;
    return literalTemplate(parseTemplate(body));
  }

  private tuple(): Node {
    this.pos++;
    if (this.identAhead() === "for" && /^for\s/.test(this.src.slice(this.pos, this.pos + 4))) return this.forExpression(false);
    const items: Node[] = [];
    while (!this.eat("]")) {
      items.push(this.expression());
      if (!this.eat(",") && !this.peek("]")) throw this.error("expected ',' or ']'");
    }
    return { k: "tuple", items };
  }

  private object(): Node {
    this.pos++;
    if (this.identAhead() === "for" && /^for\s/.test(this.src.slice(this.pos, this.pos + 4))) return this.forExpression(true);
    const items: Array<{ key: Node; value: Node }> = [];
    while (!this.eat("}")) {
      const name = this.identAhead();
      let key: Node;
      const save = this.pos;
      if (name !== undefined) {
        this.pos += name.length;
        this.space();
        // A bare name is a literal key unless more expression follows it.
        if ((this.src[this.pos] === "=" && this.src[this.pos + 1] !== "=") || this.src[this.pos] === ":") key = { k: "lit", v: name };
        else {
          this.pos = save;
          key = this.expression();
        }
      } else key = this.expression();
      this.space();
      if (this.src[this.pos] === "=" && this.src[this.pos + 1] !== "=") this.pos++;
      else if (this.src[this.pos] === ":") this.pos++;
      else throw this.error("expected '=' or ':' in an object");
      items.push({ key, value: this.expression() });
      this.eat(",");
    }
    return { k: "object", items };
  }

  private forVars(): { keyVar?: string; valueVar: string } {
    const first = this.ident();
    let keyVar: string | undefined;
    let valueVar = first;
    if (this.eat(",")) {
      keyVar = first;
      valueVar = this.ident();
    }
    if (this.ident() !== "in") throw this.error("expected 'in'");
    return { keyVar, valueVar };
  }

  private forExpression(object: boolean): Node {
    this.ident();
    const { keyVar, valueVar } = this.forVars();
    const collection = this.expression();
    this.expect(":");
    let keyExpr: Node | undefined;
    if (object) {
      keyExpr = this.expression();
      this.expect("=>");
    }
    const valueExpr = this.expression();
    const group = object && this.eat("...");
    let cond: Node | undefined;
    if (this.identAhead() === "if") {
      this.ident();
      cond = this.expression();
    }
    this.expect(object ? "}" : "]");
    return { k: "for", object, keyVar, valueVar, collection, keyExpr, valueExpr, cond, group };
  }
}

/** A template with no interpolation or directive is a plain string literal. */
function literalTemplate(parts: TemplatePart[]): Node {
  if (parts.length === 0) return { k: "lit", v: "" };
  if (parts.length === 1 && typeof parts[0] === "string") return { k: "lit", v: parts[0] };
  return { k: "tmpl", parts };
}
