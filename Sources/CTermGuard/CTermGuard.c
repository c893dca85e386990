#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include "CTermGuard.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int g_fd = -1;
static struct termios g_saved;
static int g_have_saved = 0;
static char g_restore[256];
static size_t g_restore_len = 0;
static struct sigaction g_prev[32];
static const int g_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};

int CTermGuard_save(int fd) {
    if (tcgetattr(fd, &g_saved) != 0) return -1;
    g_have_saved = 1;
    return 0;
}

static void on_fatal(int sig, siginfo_t *info, void *ctx) {
    if (g_fd >= 0) {
        if (g_restore_len > 0) { ssize_t ignored = write(g_fd, g_restore, g_restore_len); (void)ignored; }
        if (g_have_saved) tcsetattr(g_fd, TCSANOW, &g_saved);
    }
    struct sigaction *previous = &g_prev[sig];
    if ((previous->sa_flags & SA_SIGINFO) && previous->sa_sigaction) { previous->sa_sigaction(sig, info, ctx); return; }
    if (!(previous->sa_flags & SA_SIGINFO) && previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
        previous->sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void CTermGuard_install(int fd, const char *restore) {
    g_fd = fd;
    g_restore_len = 0;
    if (restore) {
        size_t length = strlen(restore);
        if (length >= sizeof(g_restore)) length = sizeof(g_restore) - 1;
        memcpy(g_restore, restore, length);
        g_restore_len = length;
    }
    for (size_t i = 0; i < sizeof(g_signals) / sizeof(g_signals[0]); i++) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_sigaction = on_fatal;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        sigaction(g_signals[i], &action, &g_prev[g_signals[i]]);
    }
}

void CTermGuard_restore(void) {
    if (g_fd >= 0 && g_have_saved) tcsetattr(g_fd, TCSANOW, &g_saved);
}

void CTermGuard_line_buffer_stdio(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    setvbuf(stderr, NULL, _IOLBF, 0);
}

/* At most `arenas` malloc arenas (glibc makes one per thread that allocates, up to 8 per core): the console's
 * SwiftNIO and dispatch threads each kept a mostly empty arena, tens of MB of resident memory at 10,000
 * servers. 0 leaves glibc's default. */
void CTermGuard_limit_malloc_arenas(int arenas) {
#ifdef M_ARENA_MAX
    if (arenas > 0) mallopt(M_ARENA_MAX, arenas);
#endif
}

/* Stop signals as bytes on pipes (the self-pipe trick). A dispatch signal source needs the signal ignored
 * and relies on libdispatch's own registration: a second `signal(SIG_IGN)` for the same signal (the demo's stop
 * flag, then the console's) left SIGTERM and SIGHUP discarded, so closing the terminal or `kill` never reached
 * the console. One handler writes the signal's number to every open pipe. */
#define CTERMGUARD_PIPES 8
static volatile int g_pipe_read[CTERMGUARD_PIPES] = {-1, -1, -1, -1, -1, -1, -1, -1};
static volatile int g_pipe_write[CTERMGUARD_PIPES] = {-1, -1, -1, -1, -1, -1, -1, -1};
static int g_watched[65];

static void on_stop_signal(int sig) {
    int saved = errno;
    unsigned char byte = (unsigned char)sig;
    for (int i = 0; i < CTERMGUARD_PIPES; i++) {
        int fd = g_pipe_write[i];
        if (fd >= 0) { ssize_t ignored = write(fd, &byte, 1); (void)ignored; }
    }
    errno = saved;
}

int CTermGuard_signal_pipe(const int *signals, int count) {
    int slot = -1;
    for (int i = 0; i < CTERMGUARD_PIPES; i++) if (g_pipe_write[i] < 0) { slot = i; break; }
    if (slot < 0) return -1;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
    g_pipe_read[slot] = fds[0];
    g_pipe_write[slot] = fds[1];
    for (int i = 0; i < count; i++) {
        int sig = signals[i];
        if (sig <= 0 || sig > 64) continue;
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = on_stop_signal;
        action.sa_flags = SA_RESTART;
        sigemptyset(&action.sa_mask);
        sigaction(sig, &action, NULL);
        g_watched[sig] += 1;
    }
    return fds[0];
}

void CTermGuard_close_signal_pipe(int read_fd, const int *signals, int count) {
    for (int i = 0; i < CTERMGUARD_PIPES; i++) {
        if (g_pipe_read[i] != read_fd) continue;
        int write_fd = g_pipe_write[i];
        g_pipe_write[i] = -1;
        g_pipe_read[i] = -1;
        close(write_fd);
        close(read_fd);
        break;
    }
    for (int i = 0; i < count; i++) {
        int sig = signals[i];
        if (sig <= 0 || sig > 64 || g_watched[sig] == 0) continue;
        g_watched[sig] -= 1;
        if (g_watched[sig] == 0) signal(sig, SIG_DFL);
    }
}
