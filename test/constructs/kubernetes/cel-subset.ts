/**
 * A small evaluator for the part of CEL the tenant placement policy uses:
 * `||`, `&&`, `!`, `==`, `!=`, `in`, `? :`, field and map access, string and
 * boolean literals, `has(a.b)`, `list.all(x, p)` and `string.matches(re)`. It follows CEL where the
 * policy depends on it: reading a missing field is an error (the API server
 * then applies failurePolicy), `has()` tests presence without one, and `||` /
 * `&&` are commutative over errors (`error || true` is true). Enough to test
 * the policy's logic on sample pods offline; not a CEL implementation.
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
        if (name === "matches" && peek() === "(") {
          // string.matches(re): RE2 search anywhere in the string; the policy's patterns are anchored and JS-compatible.
          take("(");
          const pattern = expression();
          take(")");
          const target = node;
          node = (env) => {
            const text = target(env);
            if (typeof text !== "string") throw new CelError("matches() of a non-string");
            return new RegExp(String(pattern(env))).test(text);
          };
        } else if (name === "all" && peek() === "(") {
          take("(");
          const variable = take();
          take(",");
          const predicate = expression();
          take(")");
          const list = node;
          node = (env) => {
            const items = list(env);
            if (!Array.isArray(items)) throw new CelError("all() of a non-list");
            return items.every((item) => predicate({ ...env, [variable]: item }) === true);
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
