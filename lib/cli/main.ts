/** Entry of the `saip` command line. */
export async function main(_argv: string[]): Promise<number> {
  console.error("saip: the compliance engine is not built yet; no command is available.");
  return 2;
}
