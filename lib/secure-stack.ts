import { TerraformElement, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { readableName } from "./naming";

/**
 * A stack whose resources get readable names (`datasets_bucket`, not
 * `DatasetsBucket_Resource_1A2B3C4D`). Two paths that would read the same keep
 * cdktf's hashed name for the later one, so names stay unique and stable.
 */
export class SecureStack extends TerraformStack {
  private readonly namesByPath = new Map<string, string>();
  private readonly pathsByName = new Map<string, string>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  protected allocateLogicalId(element: TerraformElement | import("constructs").Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const known = this.namesByPath.get(node.path);
    if (known) return known;
    const components = node.scopes.slice(node.scopes.indexOf(this) + 1).map((c) => c.node.id);
    const readable = readableName(components);
    const name = readable && !this.pathsByName.has(readable) ? readable : super.allocateLogicalId(element);
    this.namesByPath.set(node.path, name);
    this.pathsByName.set(name, node.path);
    return name;
  }
}
