/** The syntax tree of HCL expressions and templates, as Terraform writes them inside `${...}`. */

export type Node =
  | { readonly k: "lit"; readonly v: null | boolean | number | string }
  | { readonly k: "tmpl"; readonly parts: readonly TemplatePart[] }
  | { readonly k: "name"; readonly name: string }
  | { readonly k: "attr"; readonly obj: Node; readonly name: string }
  | { readonly k: "index"; readonly obj: Node; readonly key: Node }
  | { readonly k: "splat"; readonly obj: Node; readonly ops: readonly Accessor[] }
  | { readonly k: "call"; readonly name: string; readonly args: readonly Node[]; readonly expand: boolean }
  | { readonly k: "tuple"; readonly items: readonly Node[] }
  | { readonly k: "object"; readonly items: ReadonlyArray<{ readonly key: Node; readonly value: Node }> }
  | {
      readonly k: "for";
      readonly object: boolean;
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly collection: Node;
      readonly keyExpr?: Node;
      readonly valueExpr: Node;
      readonly cond?: Node;
      readonly group: boolean;
    }
  | { readonly k: "cond"; readonly c: Node; readonly t: Node; readonly f: Node }
  | { readonly k: "unary"; readonly op: "!" | "-"; readonly x: Node }
  | { readonly k: "binary"; readonly op: string; readonly l: Node; readonly r: Node }
  | { readonly k: "paren"; readonly x: Node };

export type Accessor = { readonly attr: string } | { readonly index: Node };

/** Text, an interpolation, or an `%{if}` / `%{for}` directive of a template. */
export type TemplatePart =
  | string
  | { readonly k: "interp"; readonly x: Node }
  | { readonly k: "if"; readonly c: Node; readonly then: readonly TemplatePart[]; readonly else: readonly TemplatePart[] }
  | {
      readonly k: "tfor";
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly collection: Node;
      readonly body: readonly TemplatePart[];
    };
