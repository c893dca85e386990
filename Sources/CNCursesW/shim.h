#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the wide-character API needs this first. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <ncursesw/curses.h>

/* Macros and globals Swift cannot import (or imports as shared mutable state), as functions. */
static inline WINDOW *CNCursesW_stdscr(void) { return stdscr; }
static inline int CNCursesW_COLOR_PAIR(int n) { return (int)COLOR_PAIR(n); }
static inline int CNCursesW_A_BOLD(void) { return (int)A_BOLD; }
static inline int CNCursesW_A_DIM(void) { return (int)A_DIM; }
static inline int CNCursesW_A_REVERSE(void) { return (int)A_REVERSE; }
static inline int CNCursesW_A_UNDERLINE(void) { return (int)A_UNDERLINE; }
static inline int CNCursesW_A_NORMAL(void) { return (int)A_NORMAL; }
static inline int CNCursesW_COLORS(void) { return COLORS; }
static inline int CNCursesW_COLOR_PAIRS(void) { return COLOR_PAIRS; }
static inline const char *CNCursesW_codeset(void) { return nl_langinfo(CODESET); }
#endif
