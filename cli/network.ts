/**
 * agtop's network permission. The one binary carries `--allow-net` because `serve` listens on an
 * address chosen when it runs; every command gives the permission up before it reads anything:
 * `serve` right after binding its listener, every other command as its first act. From then on
 * the process can neither connect nor listen (and `--no-prompt` means nothing asks to get it back).
 *
 * @module
 */

/**
 * Revokes the network permission for the rest of the run. Harmless when it was never granted.
 *
 * @example
 * ```ts
 * dropNetwork();
 * await Deno.connect({ hostname: "example.com", port: 443 }); // throws Deno.errors.NotCapable
 * ```
 */
export function dropNetwork(): void {
  Deno.permissions.revokeSync({ name: "net" });
}
