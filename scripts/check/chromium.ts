/** Finding the Chromium that the browser checks drive through playwright-core. */

/**
 * The Chromium to launch: $VQVAR_CHROMIUM, else `chromium` / `chromium-browser` /
 * `google-chrome` on PATH (Debian: `apt-get install chromium`; setup installs it as root).
 */
export function findChromium(): string {
  const env = Deno.env.get("VQVAR_CHROMIUM");
  if (env) return env;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    for (const p of (Deno.env.get("PATH") ?? "").split(":")) {
      try {
        if (Deno.statSync(`${p}/${name}`).isFile) return `${p}/${name}`;
      } catch { /* not here */ }
    }
  }
  throw new Error(
    "no Chromium found: install it (Debian: apt-get install chromium) or set VQVAR_CHROMIUM",
  );
}
