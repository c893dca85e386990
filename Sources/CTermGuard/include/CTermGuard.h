#ifndef CTERMGUARD_H
#define CTERMGUARD_H
/* Restores the terminal from a fatal-signal handler (async-signal-safe), then chains to the
   previous handler (the Swift backtracer) or re-raises. */

/* Saves the cooked termios of fd; call before initscr(). Returns 0 on success. */
int CTermGuard_save(int fd);
/* Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE that write `restore`
   (e.g. rmcup+cnorm+sgr0) to fd and restore the saved termios. */
void CTermGuard_install(int fd, const char *restore);
/* Restores the saved termios now (normal exit path, after endwin). */
void CTermGuard_restore(void);
/* Makes stdout and stderr line-buffered whatever they are (pipe, file), so progress lines leave
   the process when printed. Call first thing in main. */
void CTermGuard_line_buffer_stdio(void);

/// At most `arenas` glibc malloc arenas (0: glibc's default).
void CTermGuard_limit_malloc_arenas(int arenas);
/* A new pipe whose read end gets one byte (the signal's number) for each of `signals` delivered; returns the
   read end (non-blocking) or -1. Several pipes may be open at once: every one hears every watched signal. */
int CTermGuard_signal_pipe(const int *signals, int count);
/* Closes a pipe from CTermGuard_signal_pipe; a signal no open pipe watches goes back to its default action. */
void CTermGuard_close_signal_pipe(int read_fd, const int *signals, int count);
#endif
