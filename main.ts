import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App } from "cdktf";
import { PlatformKey } from "./constructs/aws/platform-key";
import { SecureStack } from "./lib/secure-stack";

// The app entry that `npm run synth` and `cdktf synth` run (compiled to dist/main.js).
const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
const stack = new SecureStack(app, "platform");
new AwsProvider(stack, "aws", { region: process.env.AWS_REGION ?? "eu-west-1" });
new PlatformKey(stack, "DatasetsKey", {
  purpose: "datasets",
  administrators: ["arn:aws:iam::111122223333:role/platform-key-admin"],
});
app.synth();
console.log(`Synthesized stack 'platform' to ${app.outdir}/stacks/platform/cdk.tf.json`);
