import { addDocument } from "../../../lib/terraform/load";
import { TfModule } from "../../../lib/terraform/model";
import { containersOf, NETWORK_POLICY_TYPES, objectsIn, podSpecOf, WORKLOAD_TYPES } from "../../../lib/rules/kubernetes/util";

const pod = { container: [{ name: "app", image: "x" }], init_container: { name: "setup", image: "y" } };

function load(doc: object): TfModule {
  const module = new TfModule("test");
  addDocument(module, doc as never, "test.tf.json");
  return module;
}

describe("kubernetes rule utilities", () => {
  it("finds the pod spec of every workload type", () => {
    const module = load({
      resource: {
        kubernetes_pod_v1: { p: { spec: pod } },
        kubernetes_deployment_v1: { d: { spec: { template: { spec: pod } } } },
        kubernetes_daemonset: { ds: { spec: [{ template: [{ spec: [pod] }] }] } },
        kubernetes_cron_job_v1: { c: { spec: { job_template: { spec: { template: { spec: pod } } } } } },
      },
    });
    for (const address of ["kubernetes_pod_v1.p", "kubernetes_deployment_v1.d", "kubernetes_daemonset.ds", "kubernetes_cron_job_v1.c"]) {
      const resource = module.get(address)!;
      const spec = podSpecOf(resource);
      expect(spec).toBeDefined();
      expect(containersOf(resource, spec!).map((c) => c.label)).toEqual(['init_container "setup"', 'container "app"']);
    }
    expect(WORKLOAD_TYPES).toEqual(
      expect.arrayContaining(["kubernetes_stateful_set_v1", "kubernetes_job", "kubernetes_daemon_set_v1", "kubernetes_pod"]),
    );
  });

  it("finds the objects in a namespace by reference, id, literal name or the default", () => {
    const module = load({
      resource: {
        kubernetes_namespace_v1: { team: { metadata: { name: "team-a" } }, other: { metadata: { name: "team-b" } } },
        kubernetes_namespace: { default: { metadata: { name: "default" } } },
        kubernetes_network_policy_v1: {
          reference: { metadata: { namespace: "${kubernetes_namespace_v1.team.metadata[0].name}" } },
          legacy_index: { metadata: [{ namespace: "${kubernetes_namespace_v1.team.metadata.0.name}" }] },
          id: { metadata: { namespace: "${kubernetes_namespace_v1.team.id}" } },
          literal: { metadata: { namespace: "team-a" } },
          other: { metadata: { namespace: "${kubernetes_namespace_v1.other.metadata[0].name}" } },
          lookalike: { metadata: { namespace: "team-a-2" } },
          unset: { metadata: { name: "x" } },
          variable: { metadata: { namespace: "${var.namespace}" } },
          outside: { metadata: { namespace: "${kubernetes_namespace_v1.elsewhere.metadata[0].name}" } },
        },
      },
    });
    const addresses = (list: readonly { address: string }[]) => list.map((r) => r.address.split(".")[1]);
    const team = objectsIn(module.get("kubernetes_namespace_v1.team")!, NETWORK_POLICY_TYPES);
    expect(addresses(team.found)).toEqual(["reference", "legacy_index", "id", "literal"]);
    expect(addresses(team.unknown)).toEqual(["variable", "outside"]);
    expect(addresses(objectsIn(module.get("kubernetes_namespace.default")!, NETWORK_POLICY_TYPES).found)).toEqual(["unset"]);
  });
});
