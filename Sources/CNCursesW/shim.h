#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the wide-character API needs this first. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <string.h>
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

#include <ncursesw/term.h>
/* Checks a terminal type before initscr() (which exits the process on an unknown TERM):
   0 usable, 1 unknown to terminfo, 2 no terminfo database, 3 cannot move the cursor (dumb),
   4 no alternate screen (usable; the screen must be cleared on exit). The loaded entry is freed. */
static inline int CNCursesW_check_terminal(const char *type, int fd) {
    int error = 0;
    TERMINAL *previous = cur_term;
    if (setupterm((char *)type, fd, &error) != OK) return error == 0 ? 1 : 2;
    const char *cup = tigetstr("cup");
    const char *smcup = tigetstr("smcup");
    int result = (cup == NULL || cup == (char *)-1) ? 3 : (smcup == NULL || smcup == (char *)-1) ? 4 : 0;
    TERMINAL *mine = set_curterm(previous);
    del_curterm(mine);
    return result;
}

/* Mouse reporting in SGR form (xterm modes 1000 + 1006: press, release, wheel; any column). ncurses' own mouse
   decoding is left off (it drops events that arrive together, e.g. a press and its release): KEY_MOUSE is
   disabled so the reports arrive as characters, which the console decodes. `type_name` says whether the
   terminal type reports a mouse at all (terminfo kmous, or an xterm-like name). Returns 1 when turned on. */
static inline int CNCursesW_mouse(int on, const char *type_name) {
    if (!on) {
        putp("\033[?1006l\033[?1000l");
        return 0;
    }
    const char *kmous = tigetstr("kmous");
    int known = kmous != NULL && kmous != (char *)-1;
    if (!known && type_name != NULL && strncmp(type_name, "xterm", 5) != 0) return 0;
    keyok(KEY_MOUSE, FALSE);
    putp("\033[?1000h\033[?1006h");
    return 1;
}
#endif
