import { main } from "../../cli";

/** Runs `saip` in-process, with every command (check, requirements, synth, schema), and captures what it prints. */
export async function saip(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
