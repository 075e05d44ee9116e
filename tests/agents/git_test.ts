import assert from "node:assert/strict";
import { gitFacts, parseGitFile, parseHead, resolveCommonDir } from "../../agents/git.ts";

Deno.test("parseHead reads a branch, another ref, a detached commit, and rejects junk", () => {
  assert.deepEqual(parseHead("ref: refs/heads/main\n"), { branch: "main", detached: null });
  assert.deepEqual(parseHead("ref: refs/heads/feature/x-1"), { branch: "feature/x-1", detached: null });
  assert.deepEqual(parseHead("ref: refs/remotes/origin/main\n"), {
    branch: "refs/remotes/origin/main",
    detached: null,
  });
  assert.deepEqual(parseHead("3f1c2a9d0e8b7c6a5f4e3d2c1b0a998877665544\n"), {
    branch: null,
    detached: "3f1c2a9",
  });
  assert.deepEqual(parseHead(`${"ab".repeat(32)}\n`), { branch: null, detached: "abababa" }, "SHA-256");
  assert.equal(parseHead(""), null);
  assert.equal(parseHead("ref:"), null);
  assert.equal(parseHead("not a head"), null);
});

Deno.test("parseGitFile and resolveCommonDir follow a linked worktree to the shared directory", () => {
  assert.equal(parseGitFile("gitdir: /src/app/.git/worktrees/fix\n"), "/src/app/.git/worktrees/fix");
  assert.equal(parseGitFile("gitdir: ../.git/modules/lib"), "../.git/modules/lib");
  assert.equal(parseGitFile("nonsense"), null);
  assert.equal(resolveCommonDir("../..\n", "/src/app/.git/worktrees/fix"), "/src/app/.git");
  assert.equal(resolveCommonDir("/elsewhere/.git\n", "/src/app/.git/worktrees/fix"), "/elsewhere/.git");
});

const hasGit = (() => {
  try {
    return new Deno.Command("git", { args: ["--version"], stdout: "null" }).outputSync().success;
  } catch {
    return false;
  }
})();
if (!hasGit) console.log("git repository tests skipped: git is not installed");

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=agtop", "-c", "user.email=agtop@example.invalid", ...args],
    cwd,
    env: { GIT_CONFIG_NOSYSTEM: "1", HOME: cwd },
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

Deno.test({
  name: "gitFacts on a real repository: branch, subdirectory, detached HEAD, linked worktree, no repo",
  ignore: !hasGit,
  async fn() {
    const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "agtop-git-" }));
    try {
      const repo = `${tmp}/app`;
      await Deno.mkdir(`${repo}/src/deep`, { recursive: true });
      await git(tmp, "init", "-q", "-b", "main", repo);
      await Deno.writeTextFile(`${repo}/src/deep/a.txt`, "a\n");
      await git(repo, "add", ".");
      await git(repo, "commit", "-q", "-m", "first");
      const first = await git(repo, "rev-parse", "HEAD");

      const main = gitFacts(`${repo}/src/deep`);
      assert.deepEqual(main, {
        root: repo,
        branch: "main",
        detached: null,
        worktree: false,
        commonDir: `${repo}/.git`,
      });

      await git(repo, "checkout", "-q", "-b", "feature/login");
      assert.equal(gitFacts(`${repo}/src/deep`)?.branch, "feature/login", "a changed HEAD is re-read");

      await Deno.writeTextFile(`${repo}/b.txt`, "b\n");
      await git(repo, "add", ".");
      await git(repo, "commit", "-q", "-m", "second");
      await git(repo, "checkout", "-q", "--detach", first);
      assert.deepEqual(gitFacts(repo), {
        root: repo,
        branch: null,
        detached: first.slice(0, 7),
        worktree: false,
        commonDir: `${repo}/.git`,
      });

      const linked = `${tmp}/app-hotfix`;
      await git(repo, "worktree", "add", "-q", "-b", "hotfix", linked, "main");
      await Deno.mkdir(`${linked}/src/new`, { recursive: true });
      assert.deepEqual(gitFacts(`${linked}/src/new`), {
        root: linked,
        branch: "hotfix",
        detached: null,
        worktree: true,
        commonDir: `${repo}/.git`,
      });
      assert.equal(gitFacts(repo)?.detached, first.slice(0, 7), "each worktree has its own HEAD");

      await git(repo, "worktree", "remove", "--force", linked);
      await Deno.mkdir(`${linked}/src/new`, { recursive: true });
      assert.equal(gitFacts(`${linked}/src/new`), null, "a removed worktree is noticed");
      assert.equal(gitFacts(tmp), null);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
