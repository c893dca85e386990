#ifndef CSPAWN_H
#define CSPAWN_H

#include <spawn.h>

/// glibc's posix_spawn extensions (GNU names Swift's Glibc module does not show): close every descriptor from
/// `low` up in the child, and change the child's working directory. Both return 0 or an errno value.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int low);
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
/// pipe2(fds, O_CLOEXEC): both ends close on exec, so no other child inherits them. 0 or -1 with errno.
int cspawn_pipe_cloexec(int fds[2]);

#endif
