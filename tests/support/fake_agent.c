/*
 * A stand-in for an agent's native binary in agtop's integration tests: it accepts any arguments,
 * starts the children described in the file named by AGTOP_FAKE_SPAWN (one per line: an executable
 * path, then its arguments, separated by tabs; optional "cwd=DIR" first field), and sleeps until
 * killed. Children inherit the environment minus AGTOP_FAKE_SPAWN (or AGTOP_FAKE_SPAWN_NEXT becomes
 * theirs), so a chain of processes can be described.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void spawn_line(char *line) {
  char *argv[64];
  int argc = 0;
  char *cwd = NULL;
  for (char *tok = strtok(line, "\t\n"); tok && argc < 63; tok = strtok(NULL, "\t\n")) {
    if (argc == 0 && !cwd && strncmp(tok, "cwd=", 4) == 0) {
      cwd = tok + 4;
      continue;
    }
    argv[argc++] = tok;
  }
  argv[argc] = NULL;
  if (argc == 0) return;
  pid_t pid = fork();
  if (pid == 0) {
    if (cwd && chdir(cwd) != 0) _exit(127);
    const char *next = getenv("AGTOP_FAKE_SPAWN_NEXT");
    if (next) setenv("AGTOP_FAKE_SPAWN", next, 1), unsetenv("AGTOP_FAKE_SPAWN_NEXT");
    else unsetenv("AGTOP_FAKE_SPAWN");
    execv(argv[0], argv);
    _exit(127);
  }
}

int main(void) {
  signal(SIGCHLD, SIG_IGN);
  const char *spec = getenv("AGTOP_FAKE_SPAWN");
  if (spec) {
    FILE *f = fopen(spec, "r");
    char line[8192];
    while (f && fgets(line, sizeof line, f)) spawn_line(line);
    if (f) fclose(f);
  }
  for (;;) pause();
}
