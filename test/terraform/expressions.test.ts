import { evaluate, Scope } from "../../lib/terraform/hcl/evaluate";
import { EVALUATED_FUNCTIONS } from "../../lib/terraform/hcl/functions";
import { parseExpression, parseTemplate } from "../../lib/terraform/hcl/parse";
import { evaluateTemplate } from "../../lib/terraform/hcl/evaluate";
import { EvalError, Unknown, Value } from "../../lib/terraform/hcl/value";

/** var.* from a table, everything else a resource reference known only after apply. */
const VARS: Record<string, Value> = {
  name: "models",
  tags: { team: "ml" },
  list: ["a", "b", "c"],
  nothing: null,
  cidr: "10.0.0.0/16",
  n: 3,
};
const scope: Scope = {
  traverse(root, steps) {
    const first = steps[0] && "attr" in steps[0] ? steps[0].attr : "";
    if (root === "var") return { value: first in VARS ? VARS[first] : new Unknown(`var.${first}`, `var.${first} is not set`), used: 1 };
    return { value: new Unknown(`${root}.${first}`, "known after apply"), used: 1 };
  },
};
const ev = (text: string) => evaluate(parseExpression(text), scope);
const tmpl = (text: string) => evaluateTemplate(parseTemplate(text), scope, undefined);

describe("HCL expressions", () => {
  it.each<[string, Value]>([
    [
      'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny" }] })',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny"}]}',
    ],
    ['merge(var.tags, { env = "prod" })', { team: "ml", env: "prod" }],
    ['concat(var.list, ["d"])', ["a", "b", "c", "d"]],
    ['lookup(var.tags, "team", "none")', "ml"],
    ['lookup(var.tags, "owner", "none")', "none"],
    ['try(var.tags.owner, "fallback")', "fallback"],
    ['coalesce(var.nothing, "", "first")', "first"],
    ['format("%s-%03d", var.name, 7)', "models-007"],
    ["length(var.list)", 3],
    ['toset(["b", "a", "b"])', ["a", "b"]],
    ["tolist(var.list)", ["a", "b", "c"]],
    ["element(var.list, 4)", "b"],
    ["cidrsubnet(var.cidr, 8, 2)", "10.0.2.0/24"],
    ['cidrsubnets("10.0.0.0/16", 4, 4, 8)', ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/24"]],
    ['join(",", [for s in var.list : upper(s) if s != "b"])', "A,C"],
    ["{ for i, s in var.list : s => i }", { a: 0, b: 1, c: 2 }],
    ['var.n > 2 ? "big" : "small"', "big"],
    ["!(var.n == 3) || var.n % 2 == 1", true],
    ["var.list[*]", ["a", "b", "c"]],
    ["can(var.tags.owner)", false],
    // As terraform-aws-modules/vpc tells an availability zone name from a zone id.
    ['length(regexall("^[a-z]{2}-", "eu-west-1a")) > 0', true],
    ['regexall("^[a-z]{2}-", "euw1-az1")', []],
    [
      'regexall("([0-9])(x)?", "1x2")',
      [
        ["1", "x"],
        ["2", null],
      ],
    ],
    ['regexall("(?P<n>[a-z])", "ab")', [{ n: "a" }, { n: "b" }]],
  ])("%s", (text, expected) => {
    expect(ev(text)).toEqual(expected);
  });

  it("keeps what is known only after apply as the expression that stands for it", () => {
    expect(ev("aws_s3_bucket.b.arn")).toEqual(new Unknown("aws_s3_bucket.b.arn", "known after apply"));
    // The structure of a policy is known even where a value in it is not.
    expect(ev('jsonencode({ Resource = "${aws_s3_bucket.b.arn}/*" })')).toBe('{"Resource":"${aws_s3_bucket.b.arn}/*"}');
    expect(ev("length([aws_s3_bucket.b.arn, 1])")).toBe(2);
    const unknown = ev("upper(var.missing)") as Unknown;
    expect(unknown.reason).toBe("var.missing is not set");
    expect((ev("timestamp()") as Unknown).reason).toBe("the function timestamp is not evaluated before apply");
  });

  it("reads templates: interpolation, directives, strip markers and escapes", () => {
    expect(tmpl("${var.name}")).toBe("models");
    expect(tmpl("arn:aws:s3:::${var.name}/*")).toBe("arn:aws:s3:::models/*");
    expect(tmpl("%{ for s in var.list }${s};%{ endfor }")).toBe("a;b;c;");
    expect(tmpl("%{ if var.n > 1 ~} many %{~ else }one%{ endif }")).toBe("many");
    expect(tmpl("literal $${not} interpolated")).toBe("literal ${not} interpolated");
    expect(tmpl("${aws_s3_bucket.b.arn}/*")).toEqual(
      new Unknown('"${aws_s3_bucket.b.arn}/*"', "known after apply", "${aws_s3_bucket.b.arn}/*"),
    );
    expect(ev('"a\\n${var.name}"')).toBe("a\nmodels");
    expect(ev("<<-EOT\n    hello ${var.name}\n    EOT")).toBe("hello models\n");
  });

  it("gives a pattern it cannot read as an evaluation error, which leaves the value unknown, not a crash", () => {
    expect(() => ev('regexall("(", "x")')).toThrow(
      new EvalError('regexall: the pattern "(" is not a regular expression this engine reads'),
    );
    expect(() => ev('regex("(", "x")')).toThrow(EvalError);
  });

  it("reports what it cannot parse, and evaluates every function it lists", () => {
    expect(() => parseExpression("merge(")).toThrow(/unexpected end of expression/);
    expect(EVALUATED_FUNCTIONS).toEqual(
      expect.arrayContaining([
        "jsonencode",
        "merge",
        "concat",
        "lookup",
        "coalesce",
        "format",
        "length",
        "toset",
        "tolist",
        "element",
        "cidrsubnet",
      ]),
    );
  });
});
