/**
 * A small evaluator for the part of CEL the platform's admission policies use:
 * `||`, `&&`, `!`, `==`, `!=`, `in`, `? :`, field and map access, string and
 * boolean literals, list literals, `has(a.b)`, the macros `all(x, p)` and
 * `exists(x, p)` over lists and over maps (their keys, as CEL iterates a map),
 * and the string functions `matches(re)`, `startsWith(s)`, `endsWith(s)` and
 * `contains(s)`. It follows CEL where the policies depend on it: reading a
 * missing field is an error (the API server then applies failurePolicy),
 * `has()` tests presence without one, and `||` / `&&` and the macros are
 * commutative over errors (`error || true` is true, `[error, false].all(...)`
 * is false). Enough to test the policies' logic on sample pods offline; not a
 * CEL implementation: no types, no numbers, no other functions.
 */

type Value = unknown;
type Env = Record<string, Value>;
type Node = (env: Env) => Value;

class CelError extends Error {}

const TOKEN = /\s*(\|\||&&|==|!=|[!?:.,()[\]]|'(?:[^'\\]|\\.)*'|[A-Za-z_][\w]*)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match) throw new Error(`cannot read CEL at ${text.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}`);
    tokens.push(match[1]);
  }
  return tokens;
}

const isMap = (v: Value): v is Record<string, Value> => typeof v === "object" && v !== null && !Array.isArray(v);

function field(target: Value, name: string): Value {
  if (!isMap(target) || !(name in target)) throw new CelError(`no such key: ${name}`);
  return target[name];
}

/** Evaluates both sides, so an error on one side does not hide a decisive other side. */
function attempt(node: Node, env: Env): { value?: Value; error?: CelError } {
  try {
    return { value: node(env) };
  } catch (e) {
    if (e instanceof CelError) return { error: e };
    throw e;
  }
}

// string.matches(re): RE2 search anywhere in the string; the policies' patterns are JS-compatible.
const STRING_FUNCTIONS: Record<string, (text: string, arg: string) => boolean> = {
  matches: (text, re) => new RegExp(re).test(text),
  startsWith: (text, prefix) => text.startsWith(prefix),
  endsWith: (text, suffix) => text.endsWith(suffix),
  contains: (text, part) => text.includes(part),
};

export function compileCel(text: string): (env: Env) => Value {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const token = tokens[i++];
    if (expected !== undefined && token !== expected) throw new Error(`expected ${expected}, got ${token} in ${text}`);
    return token;
  };

  const expression = (): Node => {
    const condition = or();
    if (peek() !== "?") return condition;
    take("?");
    const yes = expression();
    take(":");
    const no = expression();
    return (env) => (condition(env) === true ? yes(env) : no(env));
  };
  const logical = (op: "||" | "&&", next: () => Node) => (): Node => {
    let left = next();
    while (peek() === op) {
      take(op);
      const l = left;
      const r = next();
      left = (env) => {
        const a = attempt(l, env);
        const decisive = op === "||";
        if (a.value === decisive) return decisive;
        const b = attempt(r, env);
        if (b.value === decisive) return decisive;
        if (a.error) throw a.error;
        if (b.error) throw b.error;
        return !decisive;
      };
    }
    return left;
  };
  const relation = (): Node => {
    const left = unary();
    const op = peek();
    if (op !== "==" && op !== "!=" && op !== "in") return left;
    take(op);
    const right = unary();
    if (op === "in")
      return (env) => {
        const container = right(env);
        const item = left(env);
        return Array.isArray(container) ? container.includes(item) : isMap(container) && String(item) in container;
      };
    return (env) => (left(env) === right(env)) === (op === "==");
  };
  const and = logical("&&", relation);
  const or = logical("||", and);
  const unary = (): Node => {
    if (peek() === "!") {
      take("!");
      const inner = unary();
      return (env) => {
        const v = inner(env);
        if (typeof v !== "boolean") throw new CelError("! of a non-boolean");
        return !v;
      };
    }
    return member();
  };
  const member = (): Node => {
    let node = primary();
    for (;;) {
      if (peek() === ".") {
        take(".");
        const name = take();
        if (name in STRING_FUNCTIONS && peek() === "(") {
          take("(");
          const argument = expression();
          take(")");
          const target = node;
          const fn = STRING_FUNCTIONS[name];
          node = (env) => {
            const text = target(env);
            const arg = argument(env);
            if (typeof text !== "string" || typeof arg !== "string") throw new CelError(`${name}() of a non-string`);
            return fn(text, arg);
          };
        } else if ((name === "all" || name === "exists") && peek() === "(") {
          take("(");
          const variable = take();
          take(",");
          const predicate = expression();
          take(")");
          const range = node;
          const decisive = name === "exists";
          node = (env) => {
            const target = range(env);
            // A map's macro ranges over its keys.
            const items = Array.isArray(target) ? target : isMap(target) ? Object.keys(target) : undefined;
            if (!items) throw new CelError(`${name}() of a non-list`);
            let error: CelError | undefined;
            for (const item of items) {
              const r = attempt(predicate, { ...env, [variable]: item });
              if (r.error) error ??= r.error;
              else if (typeof r.value !== "boolean") error ??= new CelError(`${name}() predicate is not a boolean`);
              else if (r.value === decisive) return decisive;
            }
            if (error) throw error;
            return !decisive;
          };
        } else {
          const target = node;
          node = (env) => field(target(env), name);
        }
      } else if (peek() === "[") {
        take("[");
        const key = expression();
        take("]");
        const target = node;
        node = (env) => field(target(env), String(key(env)));
      } else return node;
    }
  };
  const primary = (): Node => {
    const token = take();
    if (token === "(") {
      const inner = expression();
      take(")");
      return inner;
    }
    if (token === "[") {
      const items: Node[] = [];
      while (peek() !== "]") {
        items.push(expression());
        if (peek() === ",") take(",");
      }
      take("]");
      return (env) => items.map((item) => item(env));
    }
    if (token.startsWith("'")) {
      const value = token.slice(1, -1).replace(/\\(.)/g, "$1");
      return () => value;
    }
    if (token === "true" || token === "false") return () => token === "true";
    if (token === "has") {
      take("(");
      const path: string[] = [take()];
      while (peek() === ".") {
        take(".");
        path.push(take());
      }
      take(")");
      return (env) => {
        let target: Value = env[path[0]];
        for (const name of path.slice(1, -1)) target = field(target, name);
        return isMap(target) && path[path.length - 1] in target;
      };
    }
    return (env) => {
      if (!(token in env)) throw new CelError(`undeclared reference: ${token}`);
      return env[token];
    };
  };

  const root = expression();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${text}`);
  return (env) => root(env);
}
